import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isUuid } from '../../../common/http/ids';
import { lockIncidentFacts } from '../../incidents/facts/incident-facts';
import { appendEvent, DESK_AUTHOR } from '../../incidents/timeline/append-event';
import { field, isSid } from './twilio-fields';
import type { TwilioParams } from './twilio-signature.guard';
import { Twiml } from './twiml';
import { WebhookReplies } from './webhook-replies';

/** The delivery statuses that go on the incident's timeline. */
const RECORDED = new Set(['delivered', 'failed', 'undelivered']);

/**
 * Twilio's status callback for a text the desk sent about an incident (`/twilio/sms/status?incident={id}`, with
 * `sms={outbound_sms id}` for outbox texts): delivered, failed and undelivered go on the incident's timeline
 * (`sms_status`, with Twilio's error code), once per message and status. Never the number or the text.
 */
@Injectable()
export class SmsStatusService {
  private readonly logger = new Logger(SmsStatusService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly replies: WebhookReplies,
    private readonly twiml: Twiml,
  ) {}

  async record(query: Record<string, unknown>, params: TwilioParams, token: string | null): Promise<string> {
    const empty = this.twiml.message(null);
    const status = field(params, 'MessageStatus') ?? field(params, 'SmsStatus');
    const messageSid = field(params, 'MessageSid') ?? field(params, 'SmsSid');
    const incidentId = typeof query.incident === 'string' && isUuid(query.incident) ? query.incident : null;
    const smsId = typeof query.sms === 'string' && isUuid(query.sms) ? query.sms : null;
    if (!status || !RECORDED.has(status) || !incidentId || !isSid(messageSid, ['SM', 'MM'])) return empty;
    const at = { key: `sms-status:${messageSid}:${status}`, token };
    const errorCode = field(params, 'ErrorCode');
    const decision = await this.db.transaction(async (em) => {
      if (!(await lockIncidentFacts(em, incidentId))) return 'unknown_incident';
      if (await this.replies.find(em, at)) return 'retry_answered_as_before';
      await appendEvent(em, {
        incidentId,
        kind: 'system',
        type: 'sms_status',
        author: DESK_AUTHOR,
        data: {
          status,
          errorCode: errorCode && /^\d{1,6}$/.test(errorCode) ? errorCode : null,
          messageSid,
          outboundSmsId: smsId,
        },
      });
      await this.replies.save(em, at, empty);
      return `recorded_${status}`;
    });
    this.logger.log({ messageSid, incidentId, decision }, 'Text status');
    return empty;
  }
}
