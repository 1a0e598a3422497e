import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { SYSTEM_ACTOR } from '../audit/actor';
import { formatReference } from '../incidents/domain/incident-reference';
import { incidentReferences, lockIncidentFacts } from '../incidents/facts/incident-facts';
import { IncidentWorkflow } from '../incidents/incident-workflow.service';
import { appendEvent, appendEventsSql, DESK_AUTHOR } from '../incidents/timeline/append-event';
import { MailTemplates } from '../notifications/mail-templates';
import { NotificationsService } from '../notifications/notifications.service';
import { DeliveryAttemptFailed } from './delivery-errors';
import { DeskAlerts } from './desk-alerts';
import { isOpen } from './domain/escalation-status';
import { deliveryContext, type EscalationPayload } from './escalation-payload';
import { deliveryKey, EscalationJobName } from './escalation-jobs';
import { otherOpenEscalations, stopClocks, type EscalationRow } from './escalation-records';
import { ReplyForwarder } from './reply-forwarder';
import { postSigned } from './webhook-client';

/**
 * Delivers one escalation (or its chase) by the supplier's channel, for the supplier's queue worker:
 * - webhook: a signed POST (webhook-client); a 2xx delivers it and its `reference` is stored (the handoff is
 *   accepted then); anything else is a failed attempt, retried with backoff, and after the last one the escalation
 *   is `failed`, the incident goes back to the desk (`in_progress`, when no other supplier holds it), the timeline
 *   says so and the desk managers get a mail; an agent can retry it;
 * - email: a mail through the outbox (which retries on its own), from the supplier's own template when it has one.
 * A job for an escalation that is no longer waiting (delivered, cancelled) does nothing: repeats are harmless, and
 * the Idempotency-Key lets the supplier drop the ones it has already seen.
 */
@Injectable()
export class EscalationDelivery {
  private readonly logger = new Logger(EscalationDelivery.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly notifications: NotificationsService,
    private readonly templates: MailTemplates,
    private readonly alerts: DeskAlerts,
    private readonly workflow: IncidentWorkflow,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly forwarder: ReplyForwarder,
  ) {}

  /** One attempt; `final` when no retry follows a failure. Throws DeliveryAttemptFailed to be retried. */
  async run(kind: EscalationJobName, escalationId: string, final: boolean, eventId?: string): Promise<void> {
    const context = await deliveryContext(this.db.manager, escalationId);
    if (!context || !this.due(kind, context.escalation)) return;
    const { escalation, payload } = context;
    if (kind === EscalationJobName.Forward) return this.forwarder.run(escalation, eventId ?? '', final);
    if (kind === EscalationJobName.Chase) payload.chase = true;
    if (escalation.channel === 'email') return this.email(kind, escalation, payload);
    const { webhookUrl, webhookSecret } = escalation;
    const result =
      webhookUrl && webhookSecret
        ? await postSigned(
            webhookUrl,
            webhookSecret,
            JSON.stringify(payload),
            deliveryKey(escalationId, kind),
            this.clock.now(),
            this.config.env.ESCALATION_TIMEOUT_MS,
          )
        : ({ ok: false, reason: 'no webhook configured' } as const);
    if (result.ok) return this.delivered(kind, escalation, result.supplierReference);
    await this.failedAttempt(kind, escalation, result.reason, final);
    if (!final)
      throw new DeliveryAttemptFailed(`Delivery of escalation ${escalationId} failed: ${result.reason}`);
  }

  private due(kind: EscalationJobName, e: EscalationRow): boolean {
    if (kind === EscalationJobName.Deliver) return e.status === 'pending';
    if (kind === EscalationJobName.Forward) return isOpen(e.status);
    return isOpen(e.status) && e.status !== 'pending' && e.supplierReference === null;
  }

  private async delivered(
    kind: EscalationJobName,
    e: EscalationRow,
    reference: string | null,
  ): Promise<void> {
    await this.db.transaction(async (em) => {
      await lockIncidentFacts(em, e.incidentId);
      await this.markDelivered(em, kind, e, reference);
    });
  }

  /**
   * In the caller's transaction, the incident locked, in one statement: a delivery `pending` → `sent` (nothing at
   * all when it no longer is), the supplier's reference stored the first time it arrives with the acknowledge
   * clock met then (acceptReference's rule), and the timeline told.
   */
  private async markDelivered(
    em: EntityManager,
    kind: EscalationJobName,
    e: EscalationRow,
    reference: string | null,
  ): Promise<void> {
    const deliver = kind === EscalationJobName.Deliver;
    const type = kind === EscalationJobName.Chase ? 'supplier_chased' : 'escalation_delivered';
    const rows = await em.query<{ accepted: boolean }[]>(
      `WITH target AS (
         SELECT id, (supplier_reference IS NULL AND $3::text IS NOT NULL) AS accepts FROM escalation
          WHERE id = $1 AND (NOT $4::boolean OR status = 'pending') FOR UPDATE),
       moved AS (
         UPDATE escalation e SET
           status = CASE WHEN $4 THEN 'sent' ELSE e.status END,
           sent_at = CASE WHEN $4 THEN $2 ELSE e.sent_at END,
           attempts = e.attempts + CASE WHEN $4 THEN 1 ELSE 0 END,
           last_error = CASE WHEN $4 THEN NULL ELSE e.last_error END,
           supplier_reference = CASE WHEN t.accepts THEN $3 ELSE e.supplier_reference END
           FROM target t WHERE e.id = t.id RETURNING e.id, t.accepts),
       met AS (
         UPDATE supplier_clock c SET met_at = $2, next_check_at = NULL FROM moved m
          WHERE m.accepts AND c.escalation_id = m.id AND c.target = 'acknowledge' AND c.met_at IS NULL),
       told AS (${appendEventsSql(`SELECT $5::uuid, 'system', '${type}', NULL, NULL::uuid, NULL::uuid,
           $8::text, jsonb_build_object('escalationId', m.id, 'supplier', $6::text, 'channel', $7::text,
           'supplierReference', CASE WHEN m.accepts THEN $3 END) FROM moved m`)})
       SELECT accepts AS accepted FROM moved`,
      [e.id, this.clock.now(), reference, deliver, e.incidentId, e.supplierCode, e.channel, DESK_AUTHOR.name],
    );
    if (rows.length === 0) return;
    this.logger.log(
      { escalationId: e.id, supplier: e.supplierCode, kind, accepted: rows[0].accepted },
      'Escalation delivered',
    );
  }

  private async failedAttempt(
    kind: EscalationJobName,
    e: EscalationRow,
    reason: string,
    final: boolean,
  ): Promise<void> {
    this.logger.warn(
      { escalationId: e.id, supplier: e.supplierCode, kind, reason, final },
      'Delivery failed',
    );
    if (kind === EscalationJobName.Chase) return;
    await this.db.query(`UPDATE escalation SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [
      e.id,
      reason.slice(0, 300),
    ]);
    if (final) await this.giveUp(e, reason);
  }

  /** The last attempt failed: the escalation is `failed`, the incident back with the desk, the managers told. */
  private async giveUp(e: EscalationRow, reason: string): Promise<void> {
    let mails: string[] = [];
    let reference = '';
    const incidentRef = (await incidentReferences(this.db.manager, [e.incidentId])).get(e.incidentId);
    if (!incidentRef) return;
    await this.workflow.changeWith(incidentRef, SYSTEM_ACTOR, async (em, incident, now) => {
      reference = formatReference(incident.number);
      const failed = await em.query<unknown[]>(
        `WITH failed AS (UPDATE escalation SET status = 'failed', ended_at = $2 WHERE id = $1 AND status = 'pending'
             RETURNING id) SELECT id FROM failed`,
        [e.id, now],
      );
      if (failed.length === 0) return { value: null };
      await stopClocks(em, e.id);
      await appendEvent(em, {
        incidentId: e.incidentId,
        kind: 'system',
        type: 'escalation_failed',
        author: DESK_AUTHOR,
        data: { escalationId: e.id, supplier: e.supplierCode, reason },
      });
      mails = await this.alerts.queue(em, {
        incidentId: e.incidentId,
        reference,
        supplierName: e.supplierName,
        headline: `Escalation to ${e.supplierName} failed`,
        detail: `Every delivery attempt failed (last: ${reason}). Retry it from the incident, or call the supplier.`,
      });
      const back =
        incident.status === 'awaiting_supplier' && !(await otherOpenEscalations(em, e.incidentId, e.id));
      return { value: null, to: back ? 'in_progress' : null };
    });
    await this.alerts.dispatch(mails);
  }

  private async email(kind: EscalationJobName, e: EscalationRow, payload: EscalationPayload): Promise<void> {
    const to = e.escalationEmail;
    if (!to) return this.failedAttempt(kind, e, 'no escalation email configured', true);
    const own = `supplier-escalation-${e.supplierCode}`;
    const template = this.templates.has(own) ? own : 'supplier-escalation';
    const subject = `${kind === EscalationJobName.Chase ? 'CHASE: ' : ''}[${payload.reference}] Escalation ${e.id}: ${payload.summary}`;
    let ids: string[] = [];
    await this.db.transaction(async (em: EntityManager) => {
      await lockIncidentFacts(em, e.incidentId);
      const row = await this.notifications.queueEmail(em, {
        template,
        to,
        subject,
        context: { ...payload, supplierName: e.supplierName },
        incidentId: e.incidentId,
        // Every mail about this escalation (the escalation, the chase) names the same thread.
        references: [`<escalation-${e.id}@${this.config.env.MAIL_MESSAGE_ID_DOMAIN}>`],
        automatic: false,
      });
      ids = [row.id];
      await this.markDelivered(em, kind, e, null);
    });
    await this.notifications.dispatch(ids);
  }
}
