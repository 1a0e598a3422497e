import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { errorText } from '../../common/errors/error-text';
import { actorUserId, type Actor } from '../audit/actor';
import { Supplier } from '../directory/supplier.entity';
import type { IncidentFacts } from '../incidents/facts/incident-facts';
import { IncidentWorkflow } from '../incidents/incident-workflow.service';
import { appendEvent, eventAuthor } from '../incidents/timeline/append-event';
import { SlaCalendars } from '../sla/sla-calendars.service';
import { planContractClocks } from './domain/contract-clock';
import { OPEN_ESCALATION_STATUSES_SQL, type EscalationStatus } from './domain/escalation-status';
import { SupplierQueues } from './supplier-queues';

export interface EscalationCreated {
  id: string;
  supplier: string;
  status: EscalationStatus;
}

const FINAL_INCIDENT = ['resolved', 'closed', 'cancelled'];

/**
 * Escalating an incident to a supplier, by an agent or a routing rule: in one incident transaction, the escalation
 * (supplier, reason, who, when), its contract clocks from this moment (the supplier's targets for the incident's
 * priority, on the SLA engine's calendars), a timeline entry, and the incident to `awaiting_supplier`; after the
 * commit, a delivery job on the supplier's own queue (a lost add is re-queued by SupplierWorkers' sweep).
 */
@Injectable()
export class EscalationsService {
  private readonly logger = new Logger(EscalationsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly workflow: IncidentWorkflow,
    private readonly calendars: SlaCalendars,
    private readonly queues: SupplierQueues,
  ) {}

  async escalate(
    reference: string,
    supplierCode: string,
    reason: string,
    actor: Actor,
  ): Promise<EscalationCreated>;
  /** `onlyIfNone`: for a routing rule, nothing (null) when the incident has any escalation already. */
  async escalate(
    reference: string,
    supplierCode: string,
    reason: string,
    actor: Actor,
    opts: { onlyIfNone: true },
  ): Promise<EscalationCreated | null>;
  async escalate(
    reference: string,
    supplierCode: string,
    reason: string,
    actor: Actor,
    opts: { onlyIfNone?: boolean } = {},
  ): Promise<EscalationCreated | null> {
    const supplier = await this.db.getRepository(Supplier).findOneBy({ code: supplierCode });
    if (!supplier)
      throw new DomainError(
        'ESCALATION.SUPPLIER_UNKNOWN',
        `supplier: no supplier with code ${JSON.stringify(supplierCode)}.`,
        {
          field: 'supplier',
        },
      );
    const channel =
      supplier.webhookUrl && supplier.webhookSecret ? 'webhook' : supplier.escalationEmail ? 'email' : null;
    if (!channel)
      throw new DomainError(
        'ESCALATION.NO_CHANNEL',
        `supplier: ${supplier.code} has neither a webhook (URL and secret) nor an escalation email.`,
        { field: 'supplier' },
      );
    const id = await this.workflow.changeWith(reference, actor, async (em, incident, now) => {
      if (opts.onlyIfNone) {
        const any = await em.query<unknown[]>('SELECT 1 FROM escalation WHERE incident_id = $1 LIMIT 1', [
          incident.id,
        ]);
        if (any.length > 0) return { value: null };
      }
      if (FINAL_INCIDENT.includes(incident.status))
        throw new DomainError(
          'ESCALATION.INCIDENT_CLOSED',
          `The incident is ${incident.status}: it cannot be escalated.`,
        );
      const open = await em.query<unknown[]>(
        `SELECT 1 FROM escalation WHERE incident_id = $1 AND supplier_id = $2
            AND status IN (${OPEN_ESCALATION_STATUSES_SQL})`,
        [incident.id, supplier.id],
      );
      if (open.length > 0)
        throw new DomainError(
          'ESCALATION.ALREADY_OPEN',
          `The incident is already escalated to ${supplier.code}.`,
          {
            field: 'supplier',
          },
        );
      const escalationId: string | null = await this.record(
        em,
        incident,
        supplier,
        channel,
        reason,
        actor,
        now,
      );
      return { value: escalationId, to: 'awaiting_supplier' as const };
    });
    if (id === null) return null;
    await this.queue(supplier.code, id, 0);
    return { id, supplier: supplier.code, status: 'pending' };
  }

  /** An agent's retry of a failed escalation: pending again, a new round (job id), the same Idempotency-Key. */
  async retry(reference: string, escalationId: string, actor: Actor): Promise<EscalationCreated> {
    const found = await this.workflow.changeWith(reference, actor, async (em, incident) => {
      const rows = await em.query<{ round: number; code: string }[]>(
        `WITH retried AS (UPDATE escalation e SET status = 'pending', round = e.round + 1, ended_at = NULL, last_error = NULL
           FROM supplier s WHERE s.id = e.supplier_id AND e.id = $1 AND e.incident_id = $2 AND e.status = 'failed'
         RETURNING e.round, s.code) SELECT round, code FROM retried`,
        [escalationId, incident.id],
      );
      if (rows.length === 0) {
        const exists = await em.query<unknown[]>(
          'SELECT 1 FROM escalation WHERE id = $1 AND incident_id = $2',
          [escalationId, incident.id],
        );
        throw exists.length > 0
          ? new DomainError('ESCALATION.NOT_RETRYABLE', 'Only a failed escalation can be retried.')
          : new DomainError('ESCALATION.NOT_FOUND', `No escalation ${escalationId} on ${reference}.`);
      }
      const back = FINAL_INCIDENT.includes(incident.status) ? null : ('awaiting_supplier' as const);
      return { value: rows[0], to: back };
    });
    await this.queue(found.code, escalationId, found.round);
    return { id: escalationId, supplier: found.code, status: 'pending' };
  }

  private async record(
    em: EntityManager,
    incident: IncidentFacts,
    supplier: Supplier,
    channel: string,
    reason: string,
    actor: Actor,
    now: Date,
  ): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO escalation (incident_id, supplier_id, status, reason, created_by_user_id, created_by_name, channel, created_at)
       VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7) RETURNING id`,
      [incident.id, supplier.id, reason, actorUserId(actor), actor.name, channel, now],
    );
    const [terms] = await em.query<
      { calendarCode: string; acknowledgeMinutes: number; fixMinutes: number }[]
    >(
      `SELECT calendar_code AS "calendarCode", acknowledge_minutes AS "acknowledgeMinutes", fix_minutes AS "fixMinutes"
         FROM supplier_contract_target WHERE supplier_id = $1 AND priority = $2`,
      [supplier.id, incident.priority],
    );
    if (terms) {
      const calendar = await this.calendars.get(terms.calendarCode, undefined, em);
      for (const clock of planContractClocks({ calendar, ...terms }, now)) {
        await em.query(
          `INSERT INTO supplier_clock (escalation_id, target, priority, calendar_code, target_minutes, started_at,
              warn_at, due_at, next_check_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7)`,
          [
            row.id,
            clock.target,
            incident.priority,
            terms.calendarCode,
            clock.targetMinutes,
            now,
            clock.warnAt,
            clock.dueAt,
          ],
        );
      }
    }
    await appendEvent(em, {
      incidentId: incident.id,
      kind: 'system',
      type: 'escalated',
      body: reason || null,
      author: eventAuthor(actor),
      data: { escalationId: row.id, supplier: supplier.code, channel, byRule: actor.kind === 'system' },
    });
    return row.id;
  }

  private async queue(code: string, id: string, round: number): Promise<void> {
    try {
      await this.queues.deliver(code, id, round);
    } catch (err) {
      this.logger.warn(
        { escalationId: id, err: errorText(err) },
        'Could not queue the delivery; the sweep will',
      );
    }
  }
}
