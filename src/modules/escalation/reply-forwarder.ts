import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { incidentReferences } from '../incidents/facts/incident-facts';
import { IncidentEvent } from '../incidents/incident-event.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { DeliveryAttemptFailed } from './delivery-errors';
import { deliveryKey, EscalationJobName } from './escalation-jobs';
import type { EscalationRow } from './escalation-records';
import { postSigned } from './webhook-client';

/**
 * Passes a public reply on an escalated incident to the supplier holding it, by its channel (a signed webhook
 * `{escalationId, reference, type: "update", message, author, at}`, or a mail in the escalation's thread). Only
 * public replies go (internal notes never leave the desk), and never to the supplier that wrote them: the
 * participant leaves the author's own supplier out when it queues them (the loop guard), and suppliers' own updates
 * are timeline entries, never replies, so they are not passed on at all.
 */
@Injectable()
export class ReplyForwarder {
  private readonly logger = new Logger(ReplyForwarder.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly notifications: NotificationsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async run(e: EscalationRow, eventId: string, final: boolean): Promise<void> {
    const event = await this.db
      .getRepository(IncidentEvent)
      .findOneBy({ id: eventId, incidentId: e.incidentId });
    if (!event || event.kind !== 'public_reply' || !event.body) return;
    const reference = (await incidentReferences(this.db.manager, [e.incidentId])).get(e.incidentId) ?? '';
    const update = {
      escalationId: e.id,
      reference,
      type: 'update',
      message: event.body,
      author: event.authorName,
      at: event.createdAt.toISOString(),
    };
    if (e.channel === 'email') {
      if (!e.escalationEmail) return;
      const to = e.escalationEmail;
      const row = await this.db.transaction((em) =>
        this.notifications.queueEmail(em, {
          template: 'supplier-update',
          to,
          subject: `[${reference}] Update on escalation ${e.id}`,
          context: { ...update, supplierName: e.supplierName },
          incidentId: e.incidentId,
          references: [`<escalation-${e.id}@${this.config.env.MAIL_MESSAGE_ID_DOMAIN}>`],
          automatic: false,
        }),
      );
      await this.notifications.dispatch([row.id]);
      return;
    }
    if (!e.webhookUrl || !e.webhookSecret) return;
    const result = await postSigned(
      e.webhookUrl,
      e.webhookSecret,
      JSON.stringify(update),
      deliveryKey(e.id, EscalationJobName.Forward, eventId),
      this.clock.now(),
      this.config.env.ESCALATION_TIMEOUT_MS,
    );
    if (result.ok) return;
    this.logger.warn(
      { escalationId: e.id, eventId, reason: result.reason, final },
      'Update to the supplier failed',
    );
    if (!final) throw new DeliveryAttemptFailed(`Update for escalation ${e.id} failed: ${result.reason}`);
  }
}
