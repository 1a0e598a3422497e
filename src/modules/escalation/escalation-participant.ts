import { Injectable, Logger } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type { EntityManager } from 'typeorm';
import { errorText } from '../../common/errors/error-text';
import { formatReference } from '../incidents/domain/incident-reference';
import { IncidentDto } from '../incidents/dto/incident.dto';
import {
  IncidentParticipantProvider,
  type CreateParticipation,
  type IncidentChangeSet,
  type IncidentExtensions,
  type IncidentParticipant,
  type ViewParticipation,
} from '../incidents/participants/incident-participant';
import { AutoEscalation, autoRuleLookupJoin, type NewForRouting as RoutedIncident } from './auto-escalation';
import { EscalationDto } from './dto/escalation.dto';
import { escalationRowsJson, presentEscalation, type RawEscalation } from './escalation-view';
import { SupplierQueues } from './supplier-queues';

declare module '../incidents/participants/incident-participant' {
  interface IncidentExtensions {
    /** The incident's escalations to suppliers (EscalationParticipant), oldest first; empty for none. */
    escalations: EscalationDto[];
  }
}

// The `escalations` block in the OpenAPI schema of the incident (this module adds it, as it adds the block itself).
ApiPropertyOptional({
  type: [EscalationDto],
  description: "Escalations to suppliers, oldest first, each with the supplier's contract clocks",
})(IncidentDto.prototype, 'escalations');

/** A new incident a routing rule may escalate at once. */
type NewForRouting = RoutedIncident & { kind: 'route' };

/** Public replies to pass on to the suppliers holding the incident. */
interface Forwards {
  kind: 'forward';
  items: { supplierCode: string; escalationId: string; eventId: string }[];
}

type FollowUp = NewForRouting | Forwards;

/**
 * Escalation's part in incidents:
 * - which incidents a supplier's users may see (those escalated to their supplier);
 * - the `escalations` block of the incident JSON (`[]` in a create's answer);
 * - public replies passed on to the suppliers holding the incident, never to the supplier that wrote one;
 * - after a create commits, the routing rules with auto-escalation escalate the new incidents they match (a rule,
 *   not a person, is then the one who escalated; AutoEscalation, whose sweep makes up for a crash in between). The
 *   create's lookup tells which new incidents' services have such a rule; only those are followed up.
 */
@Injectable()
@IncidentParticipantProvider()
export class EscalationParticipant implements IncidentParticipant<FollowUp> {
  readonly name = 'escalation';
  private readonly logger = new Logger(EscalationParticipant.name);

  constructor(
    private readonly auto: AutoEscalation,
    private readonly queues: SupplierQueues,
  ) {}

  readonly create: CreateParticipation<FollowUp> = {
    lookup: { join: autoRuleLookupJoin, columns: 'escalation_route_lookup.escalation_auto' },
    prepare: (incident, lookup) =>
      Promise.resolve({
        rows: [],
        view: { escalations: [] },
        followUp:
          lookup.escalation_auto === true
            ? {
                kind: 'route',
                reference: formatReference(incident.number),
                serviceId: incident.serviceId,
                siteClassCode: incident.siteClassCode,
                priority: incident.priority,
              }
            : null,
      }),
  };

  /**
   * A public reply (not an internal note) on an incident escalated to suppliers is passed on to each supplier
   * holding it, except the one whose user wrote it: a supplier never gets its own update back (the loop guard).
   */
  async onChange(em: EntityManager, change: IncidentChangeSet): Promise<FollowUp | null> {
    const replies = change.changes.flatMap((c) =>
      c.type === 'comment' && c.kind === 'public_reply' ? [c.eventId] : [],
    );
    if (replies.length === 0) return null;
    const authorSupplier =
      change.actor.kind === 'user' && change.actor.user.role === 'supplier'
        ? change.actor.user.supplierId
        : null;
    const open = await em.query<{ id: string; code: string }[]>(
      `SELECT e.id, s.code FROM escalation e JOIN supplier s ON s.id = e.supplier_id
        WHERE e.incident_id = $1 AND e.status IN ('sent', 'acknowledged', 'in_progress')
          AND ($2::uuid IS NULL OR e.supplier_id <> $2::uuid)`,
      [change.incident.id, authorSupplier],
    );
    if (open.length === 0) return null;
    return {
      kind: 'forward',
      items: open.flatMap((e) =>
        replies.map((eventId) => ({ supplierCode: e.code, escalationId: e.id, eventId })),
      ),
    };
  }

  async afterCommit(all: readonly FollowUp[]): Promise<void> {
    for (const f of all) {
      if (f.kind !== 'forward') continue;
      for (const item of f.items) {
        await this.queues
          .forward(item.supplierCode, item.escalationId, item.eventId)
          .catch((err: unknown) =>
            this.logger.warn({ escalationId: item.escalationId, err: errorText(err) }, 'Update not queued'),
          );
      }
    }
    await this.auto.escalateNew(all.filter((f): f is NewForRouting => f.kind === 'route'));
  }

  readonly view: ViewParticipation = {
    column: (alias) => escalationRowsJson(alias),
    present: (raw) => {
      const blocks = new Map<string, Partial<IncidentExtensions>>();
      for (const [id, rows] of raw) {
        blocks.set(id, {
          escalations: Array.isArray(rows) ? (rows as RawEscalation[]).map(presentEscalation) : [],
        });
      }
      return Promise.resolve(blocks);
    },
  };

  supplierScope(incidentAlias: string, supplierId: string): string {
    return `EXISTS (SELECT 1 FROM escalation scope_e WHERE scope_e.incident_id = ${incidentAlias}.id AND scope_e.supplier_id = ${supplierId})`;
  }
}
