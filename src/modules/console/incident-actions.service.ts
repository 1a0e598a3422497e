import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import type { Actor } from '../audit/actor';
import type { AuthUser } from '../auth/auth-user';
import { isDeskStaff } from '../users/domain/roles';
import { IncidentQueries } from '../incidents/incident-queries.service';
import { IncidentWorkflow } from '../incidents/incident-workflow.service';
import { IncidentsService } from '../incidents/incidents.service';
import { EscalationsService } from '../escalation/escalations.service';
import { withChangeGuard } from '../incidents/facts/change-guard';
import type { Incident } from '../incidents/incident.entity';
import { READER_ACTIONS, type IncidentCommand } from './domain/incident-actions';
import type { SeenState } from './domain/version-check';
import { IncidentPageService } from './incident-page.service';

/**
 * Carries out an incident page's form through the incidents module's exported services, as the console user.
 * The incident must be one the user can see (else INCIDENT.NOT_FOUND); anything but a public reply is desk
 * work (AUTH.FORBIDDEN for trust managers and suppliers). The services' own refusals (an invalid status move,
 * an assignee who is not desk staff) come back as their DomainErrors.
 */
@Injectable()
export class IncidentActionsService {
  constructor(
    private readonly queries: IncidentQueries,
    private readonly workflow: IncidentWorkflow,
    private readonly incidents: IncidentsService,
    private readonly escalations: EscalationsService,
    private readonly page: IncidentPageService,
  ) {}

  /**
   * With `seen` (what the form's page showed), the change is refused with CONSOLE.INCIDENT_CHANGED when someone
   * else changed the incident since: checked in the change's own transaction, on the locked row (withChangeGuard),
   * so no other writer can slip in between the check and the write.
   */
  async apply(
    reference: string,
    command: IncidentCommand,
    user: AuthUser,
    seen: SeenState | null = null,
  ): Promise<void> {
    const incident = await this.queries.findVisible(reference, user);
    if (!isDeskStaff(user) && !READER_ACTIONS.includes(command.kind))
      throw new DomainError('AUTH.FORBIDDEN', 'Your role may add public comments only.');
    if (!seen) return this.carryOut(reference, incident, command, user);
    return withChangeGuard(
      incident.number,
      async (em, locked) => {
        if (await this.page.changedIn(locked, user, seen, em))
          throw new DomainError('CONSOLE.INCIDENT_CHANGED', 'Someone else changed this incident meanwhile.');
      },
      () => this.carryOut(reference, incident, command, user),
    );
  }

  private async carryOut(
    reference: string,
    incident: Incident,
    command: IncidentCommand,
    user: AuthUser,
  ): Promise<void> {
    const actor: Actor = { kind: 'user', user, name: user.name };
    switch (command.kind) {
      case 'reply':
        await this.workflow.comment(incident, 'public_reply', command.body, actor);
        return;
      case 'note':
        await this.workflow.comment(incident, 'internal_note', command.body, actor);
        return;
      case 'assign':
        await this.workflow.assign(
          reference,
          command.assignee === 'me' ? user.id : command.assignee === 'none' ? null : command.assignee,
          actor,
        );
        return;
      case 'priority':
        await this.incidents.update(
          reference,
          { priority: command.priority, priorityReason: command.reason },
          actor,
        );
        return;
      case 'start':
      case 'reopen':
        await this.workflow.transition(
          reference,
          { to: 'in_progress', comment: command.comment ?? undefined },
          actor,
        );
        return;
      case 'hold':
        await this.workflow.transition(reference, { to: command.on, comment: command.reason }, actor);
        return;
      case 'resolve':
        await this.workflow.transition(
          reference,
          { to: 'resolved', resolution: { code: command.code, notes: command.notes } },
          actor,
        );
        return;
      case 'cancel':
        await this.workflow.transition(reference, { to: 'cancelled', comment: command.reason }, actor);
        return;
      case 'escalate':
        await this.escalations.escalate(reference, command.supplier, command.reason, actor);
        return;
      case 'retry':
        await this.escalations.retry(reference, command.escalation, actor);
        return;
    }
  }
}
