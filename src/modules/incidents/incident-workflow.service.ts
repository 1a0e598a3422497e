import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { errorText } from '../../common/errors/error-text';
import { Clock } from '../../common/time/clock';
import { enqueue } from '../../common/queue/jobs';
import { AppConfig } from '../../config/app-config';
import { QueueName } from '../../queue/queue-names';
import { SYSTEM_ACTOR, type Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { NotificationsService } from '../notifications/notifications.service';
import { DESK_ROLES, isDeskStaff } from '../users/domain/roles';
import { User } from '../users/user.entity';
import type { IncidentStatus } from './domain/incident-enums';
import { formatReference } from './domain/incident-reference';
import {
  autoCloseAt,
  decideTransition,
  shouldAutoClose,
  transitionRefusedError,
} from './domain/incident-status';
import type { TransitionDto } from './dto/incident-actions.dto';
import type { IncidentView, TimelineEntryDto } from './dto/incident.dto';
import { lockIncident, type IncidentFacts } from './facts/incident-facts';
import { IncidentEvent } from './incident-event.entity';
import { IncidentQueries } from './incident-queries.service';
import { IncidentRecorder } from './incident-recorder';
import { APPEND_SEARCH_SQL } from './incident-sql';
import { Incident } from './incident.entity';
import { presentEvent } from './incident.presenter';
import { IncidentChanges, type ChangeTransaction } from './participants/incident-changes';
import { StatusLinkService } from './status-link.service';
import { statusEventData } from './timeline/status-history';

export const AUTO_CLOSE_JOB = 'auto-close';
export const LIFECYCLE_SWEEP_JOB = 'sweep';

interface TransitionExtra {
  resolution?: { code: string; notes: string };
  comment?: string;
  eventType?: 'auto_closed';
}

/**
 * Status changes, assignment, replies and notes: everything that moves an incident along. Each method runs in one
 * IncidentChanges transaction and records what it changed there; the participants (the SLA engine, ...) take part
 * through it.
 */
@Injectable()
export class IncidentWorkflow {
  private readonly logger = new Logger(IncidentWorkflow.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly changes: IncidentChanges,
    private readonly queries: IncidentQueries,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly statusLinks: StatusLinkService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @InjectQueue(QueueName.IncidentLifecycle) private readonly lifecycle: Queue,
  ) {}

  /** Moves the incident through the status machine; a refused move changes nothing (409 with the allowed states). */
  async transition(reference: string, dto: TransitionDto, actor: Actor): Promise<IncidentView> {
    const id = await this.changes.run(async (tx) => {
      const incident = await lockIncident(tx.em, reference);
      await this.applyTransition(tx, incident, dto.to, actor, {
        resolution: dto.resolution,
        comment: dto.comment,
      });
      const { resolvedAt } = incident;
      if (incident.status === 'resolved' && resolvedAt)
        tx.afterCommit(() => this.scheduleAutoClose(incident.id, resolvedAt, tx.now));
      return incident.id;
    });
    return this.queries.present(id);
  }

  /**
   * Another module's change to an incident (escalation: its record, a supplier's update), in one IncidentChanges
   * transaction with the incident's row locked: `work` writes its own rows and timeline entries and may ask for a
   * status move, which goes through the status machine like any other (a refused move undoes everything). The
   * incident is found by reference (INCIDENT.NOT_FOUND otherwise); the caller has checked who may do it.
   */
  async changeWith<T>(
    reference: string,
    actor: Actor,
    work: (
      em: EntityManager,
      incident: IncidentFacts,
      now: Date,
    ) => Promise<{ value: T; to?: IncidentStatus | null; comment?: string }>,
  ): Promise<T> {
    return this.changes.run(async (tx) => {
      const incident = await lockIncident(tx.em, reference);
      const { value, to, comment } = await work(tx.em, incident, tx.now);
      if (to && to !== incident.status) await this.applyTransition(tx, incident, to, actor, { comment });
      return value;
    });
  }

  /** Assigns to a desk user (a new incident becomes `assigned`) or unassigns (an `assigned` one goes back to `new`). */
  async assign(reference: string, assigneeId: string | null, actor: Actor): Promise<IncidentView> {
    const id = await this.changes.run(async (tx) => {
      const { em } = tx;
      const incident = await lockIncident(em, reference);
      const assignee = assigneeId ? await em.getRepository(User).findOneBy({ id: assigneeId }) : null;
      if (assigneeId && (!assignee || !assignee.active || !DESK_ROLES.includes(assignee.role))) {
        throw new DomainError(
          'INCIDENT.ASSIGNEE_INVALID',
          'assigneeId: not an active agent, desk manager or admin.',
          { field: 'assigneeId' },
        );
      }
      if (incident.assigneeId === assigneeId) return incident.id;
      const before = incident.assigneeId;
      incident.assigneeId = assigneeId;
      await em.save(incident);
      const recorder = new IncidentRecorder(em, this.audit, incident.id, actor);
      await recorder.event(
        'system',
        assignee
          ? { type: 'assigned', data: { to: assignee.name, toId: assignee.id } }
          : { type: 'unassigned' },
      );
      await recorder.auditChange('incident.assigned', [
        { field: 'assigneeId', old: before, new: assigneeId },
      ]);
      tx.changed(incident, actor, { type: 'assigned', from: before, to: assigneeId });
      const follow: IncidentStatus | null =
        assignee && incident.status === 'new'
          ? 'assigned'
          : !assignee && incident.status === 'assigned'
            ? 'new'
            : null;
      if (follow) await this.applyTransition(tx, incident, follow, actor, {});
      return incident.id;
    });
    return this.queries.present(id);
  }

  /**
   * A public reply or internal note. A desk user's public reply is emailed to the reporter; a reporter's reply
   * to an incident waiting for them puts it back in progress.
   */
  async comment(
    incident: Incident,
    kind: 'public_reply' | 'internal_note',
    body: string,
    actor: Actor,
    options: {
      /** Structured detail kept on the entry (email intake: the inbound message, whether the sender was verified). */
      data?: object;
      /** Work done in the same transaction (email intake: mark the inbound message processed, keep attachments). */
      inTransaction?: (em: EntityManager, added: { incidentId: string; eventId: string }) => Promise<void>;
    } = {},
  ): Promise<TimelineEntryDto> {
    const { data, inTransaction } = options;
    const eventId = await this.changes.run(async (tx) => {
      const { em } = tx;
      const locked = await lockIncident(em, formatReference(incident.number));
      const recorder = new IncidentRecorder(em, this.audit, locked.id, actor);
      const eventId = await recorder.event(kind, { body, data });
      if (inTransaction) await inTransaction(em, { incidentId: locked.id, eventId });
      await em.query(APPEND_SEARCH_SQL, [locked.id, body, kind !== 'internal_note']);
      await recorder.auditChange(kind === 'public_reply' ? 'incident.reply_added' : 'incident.note_added', [
        { field: 'timeline', old: null, new: eventId },
      ]);
      const byDesk = actor.kind === 'user' && isDeskStaff(actor.user);
      tx.changed(locked, actor, { type: 'comment', kind, eventId, byDesk });
      if (actor.kind === 'reporter' && locked.status === 'awaiting_caller') {
        await this.applyTransition(tx, locked, 'in_progress', actor, {});
      }
      if (kind === 'public_reply' && actor.kind === 'user' && locked.reporterEmail) {
        const outboundId = await this.queueReplyEmail(em, locked, body, actor, tx.now);
        tx.afterCommit(() => this.notifications.dispatch([outboundId]));
      }
      return eventId;
    });
    return presentEvent(await this.db.getRepository(IncidentEvent).findOneByOrFail({ id: eventId }));
  }

  /** Closes a resolved incident once the auto-close time has passed; a late, early or repeated call is harmless. */
  async autoClose(incidentId: string): Promise<boolean> {
    return this.changes.run(async (tx) => {
      const incident = await tx.em
        .getRepository(Incident)
        .findOne({ where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!incident) return false;
      const due = shouldAutoClose({
        status: incident.status,
        resolvedAt: incident.resolvedAt,
        now: tx.now,
        autoCloseMinutes: this.config.env.AUTO_CLOSE_MINUTES,
      });
      if (!due) return false;
      await this.applyTransition(tx, incident, 'closed', SYSTEM_ACTOR, { eventType: 'auto_closed' });
      return true;
    });
  }

  /** Closes everything the database says is due (the safety net for lost or late jobs). */
  async closeDue(limit = 500): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.env.AUTO_CLOSE_MINUTES * 60_000);
    const due: { id: string }[] = await this.db.query(
      "SELECT id FROM incident WHERE status = 'resolved' AND resolved_at <= $1 ORDER BY resolved_at LIMIT $2",
      [cutoff, limit],
    );
    let closed = 0;
    for (const { id } of due) if (await this.autoClose(id)) closed++;
    return closed;
  }

  /** One status change: decided by the status machine, saved, on the timeline (the status history) and audited. */
  private async applyTransition(
    tx: ChangeTransaction,
    incident: Incident,
    to: IncidentStatus,
    actor: Actor,
    extra: TransitionExtra,
  ): Promise<void> {
    const { em, now } = tx;
    const decision = decideTransition({
      from: incident.status,
      to,
      resolvedAt: incident.resolvedAt,
      now,
      reopenWindowMinutes: this.config.env.REOPEN_WINDOW_MINUTES,
      resolution: extra.resolution ?? null,
    });
    if (!decision.ok) throw transitionRefusedError(decision);
    const from = incident.status;
    const before = outcomeOf(incident);
    const { effects } = decision;
    incident.status = decision.to;
    if (effects.setResolvedAt) incident.resolvedAt = effects.setResolvedAt;
    if (effects.setResolution)
      Object.assign(incident, {
        resolutionCode: effects.setResolution.code,
        resolutionNotes: effects.setResolution.notes,
      });
    if (effects.clearResolution)
      Object.assign(incident, { resolvedAt: null, resolutionCode: null, resolutionNotes: null });
    if (effects.setClosedAt) incident.closedAt = effects.setClosedAt;
    await em.save(incident);

    const recorder = new IncidentRecorder(em, this.audit, incident.id, actor);
    await recorder.event('system', {
      type: extra.eventType ?? (effects.reopened ? 'reopened' : 'status_changed'),
      body: extra.comment ?? undefined,
      data: statusEventData(from, incident.status, now, effects.setResolution?.code),
    });
    const after = outcomeOf(incident);
    const changes = (Object.keys(before) as (keyof typeof before)[])
      .filter((k) => String(before[k]) !== String(after[k]))
      .map((k) => ({ field: k, old: before[k], new: after[k] }));
    await recorder.auditChange('incident.transitioned', changes);
    if (extra.comment) await em.query(APPEND_SEARCH_SQL, [incident.id, extra.comment, true]);
    tx.changed(incident, actor, { type: 'status', from, to: incident.status });
  }

  private async queueReplyEmail(
    em: EntityManager,
    incident: Incident,
    body: string,
    actor: Actor,
    now: Date,
  ): Promise<string> {
    const reference = formatReference(incident.number);
    const thread: { message_id: string }[] = await em.query(
      'SELECT message_id FROM (SELECT message_id, created_at FROM outbound_message WHERE incident_id = $1 ORDER BY created_at DESC LIMIT 20) m ORDER BY created_at',
      [incident.id],
    );
    const references = thread.map((t) => t.message_id);
    // Addresses copied on the reporter's email (kept by email intake) get the reply too, so replies-all thread back.
    const copied: { email: string }[] = await em.query(
      "SELECT email FROM incident_participant WHERE incident_id = $1 AND role = 'cc' AND email <> $2 ORDER BY created_at, email LIMIT 20",
      [incident.id, incident.reporterEmail],
    );
    const message = await this.notifications.queueEmail(em, {
      template: 'incident-reply',
      to: incident.reporterEmail as string,
      cc: copied.map((c) => c.email),
      subject: `Re: [${reference}] ${incident.summary}`,
      incidentId: incident.id,
      automatic: false,
      inReplyTo: references[references.length - 1] ?? null,
      references,
      context: {
        reference,
        summary: incident.summary,
        body,
        author: actor.name,
        statusUrl: this.statusLinks.url(incident.id, now),
      },
    });
    return message.id;
  }

  private async scheduleAutoClose(incidentId: string, resolvedAt: Date, now: Date): Promise<void> {
    const at = autoCloseAt(resolvedAt, this.config.env.AUTO_CLOSE_MINUTES);
    try {
      await enqueue(this.lifecycle, [
        {
          name: AUTO_CLOSE_JOB,
          data: { incidentId },
          opts: {
            jobId: `close-${incidentId}-${resolvedAt.getTime()}`,
            delay: Math.max(0, at.getTime() - now.getTime()),
            removeOnComplete: 1000,
            removeOnFail: 1000,
          },
        },
      ]);
    } catch (err) {
      // The queue failed or did not answer in time: the sweeper closes it from the database all the same.
      this.logger.warn({ incidentId, err: errorText(err) }, 'Could not schedule auto-close');
    }
  }
}

/** The fields a status change may move, for its audit entry. */
function outcomeOf(incident: Incident) {
  return {
    status: incident.status,
    resolvedAt: incident.resolvedAt,
    closedAt: incident.closedAt,
    resolutionCode: incident.resolutionCode,
    resolutionNotes: incident.resolutionNotes,
  };
}
