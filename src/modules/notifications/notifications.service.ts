import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { DeepPartial, EntityManager, QueryDeepPartialEntity } from 'typeorm';
import { enqueue } from '../../common/queue/jobs';
import { AppConfig } from '../../config/app-config';
import { QueueName } from '../../queue/queue-names';
import { fitHeader, isPlainAddress, LIMITS, mailJobId, messageIdFor, oneLine } from './domain/outbound-mail';
import { MailJobName, SEND_JOB_OPTIONS, type MailJobData } from './mail-jobs';
import { MailTemplates } from './mail-templates';
import { insertAttachments, type MailAttachment } from './outbound-attachments';
import { OutboundMessage } from './outbound-message.entity';
import type { PreparedEmail } from './outbound-record';
import { SMS_JOB_OPTIONS, SmsJobName, smsJobId, type SmsJobData } from './sms/sms-jobs';
import { insertSmsSql, smsRecords, type SmsInput } from './sms/sms-records';
import { errorText } from '../../common/errors/error-text';

export interface QueueEmailInput {
  /** A template under templates/email, e.g. `incident-acknowledgement`. */
  template: string;
  to: string;
  cc?: string[];
  subject: string;
  /** Values for the template; stored as JSON on the row. */
  context: Record<string, unknown>;
  incidentId?: string | null;
  /** The Message-ID this mail answers (an inbound mail, or our own earlier mail in the thread). */
  inReplyTo?: string | null;
  references?: string[];
  /** Automatic mail (acknowledgements, notices) carries `Auto-Submitted: auto-replied`. Default true. */
  automatic?: boolean;
  /** Files sent with the mail (inline images with a Content-ID, or attachments); stored with the row. */
  attachments?: readonly MailAttachment[];
}

/**
 * Outbound mail and texts, the transactional-outbox way: `queueEmail` / `queueSms` write an `outbound_message` /
 * `outbound_sms` row inside the caller's transaction (so the message exists exactly when the change that caused
 * it does), and `dispatch` / `dispatchSms`, called after the commit, put a send job on the mail / text queue. A
 * lost dispatch costs nothing but time: the sweepers (MailSweeper, SmsSweeper) re-queue every pending row that is
 * due.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    @InjectQueue(QueueName.Mail) private readonly queue: Queue,
    @InjectQueue(QueueName.Sms) private readonly sms: Queue,
    private readonly templates: MailTemplates,
    private readonly config: AppConfig,
  ) {}

  /**
   * Writes a pending mail in the caller's transaction, with our Message-ID fixed now so that every attempt
   * sends the same message. Throws a plain Error for a programmer mistake (unknown template, no address).
   */
  async queueEmail(em: EntityManager, input: QueueEmailInput): Promise<OutboundMessage> {
    const values = this.prepareEmail(input);
    const repo = em.getRepository(OutboundMessage);
    // nextAttemptAt and createdAt default to the database's now(): one clock for every process.
    // INSERT ... RETURNING fills in the database defaults; no second round trip to read the row back.
    const inserted = await repo.insert({
      ...values,
      context: values.context as QueryDeepPartialEntity<Record<string, unknown>>,
    });
    await insertAttachments(em, values.id, input.attachments ?? []);
    return repo.create({ ...values, ...inserted.generatedMaps[0] } as DeepPartial<OutboundMessage>);
  }

  /**
   * The pending row of a mail, checked and with its id and Message-ID fixed, for a caller that writes it in a
   * statement of its own (the create path); `outboundRecord` gives it as that statement's jsonb parameter.
   */
  prepareEmail(input: QueueEmailInput): PreparedEmail {
    if (!this.templates.has(input.template)) {
      throw new Error(
        `Unknown email template "${input.template}" (known: ${this.templates.names.join(', ')})`,
      );
    }
    const to = input.to.trim();
    const cc = (input.cc ?? []).map((a) => a.trim()).filter((a) => a !== '');
    for (const address of [to, ...cc]) {
      if (!isPlainAddress(address)) throw new Error(`Not a single email address: ${JSON.stringify(address)}`);
    }
    const references = (input.references ?? []).map(oneLine).filter((r) => r !== '');
    let inReplyTo = input.inReplyTo ? oneLine(input.inReplyTo) : null;
    if (inReplyTo !== null && inReplyTo.length > LIMITS.messageId) {
      // Someone else's absurdly long Message-ID must not fail the caller's transaction; References keeps it.
      if (!references.includes(inReplyTo)) references.push(inReplyTo);
      inReplyTo = null;
    }
    const id = randomUUID();
    return {
      id,
      incidentId: input.incidentId ?? null,
      template: input.template,
      toAddress: to,
      ccAddresses: cc,
      subject: fitHeader(input.subject, LIMITS.subject),
      context: input.context,
      messageId: messageIdFor(id, this.config.env.MAIL_MESSAGE_ID_DOMAIN),
      inReplyTo,
      references,
      automatic: input.automatic ?? true,
      status: 'pending',
      attempts: 0,
      lastError: null,
      sentAt: null,
    };
  }

  /**
   * Queues a send job per row; call it after the transaction that wrote the rows has committed. Never throws:
   * when the queue is down it logs and returns, and the sweeper sends the rows later. Job ids are
   * deterministic (`mail-{row id}`), so dispatching a row twice queues it once.
   */
  async dispatch(ids: string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const jobs = unique.map((outboundMessageId) => ({
      name: MailJobName.Send,
      data: { outboundMessageId } satisfies MailJobData[MailJobName.Send],
      opts: { ...SEND_JOB_OPTIONS, jobId: mailJobId(outboundMessageId) },
    }));
    try {
      await enqueue(this.queue, jobs);
    } catch (err) {
      this.logger.warn(
        { outboundMessageIds: unique, err: errorText(err) },
        'Could not queue outbound mail; the sweeper will send it',
      );
    }
  }

  /**
   * Writes one pending text per number in the caller's transaction (the outbox, as for mail); returns the row ids
   * for dispatchSms after the commit. A number that has texted STOP (smsOptedOut) gets no row, nor does a text of a
   * `purpose` its incident already has (insertSmsSql, the one statement every text is queued by, keeps both rules).
   * `statusCallback`: the URL Twilio posts the text's delivery status to; each row's copy names the row.
   */
  async queueSms(em: EntityManager, input: SmsInput): Promise<string[]> {
    if (input.to.length === 0) return [];
    const rows = await em.query<{ id: string }[]>(`${insertSmsSql('$1')} RETURNING id`, [
      JSON.stringify(smsRecords(input)),
    ]);
    return rows.map((r) => r.id);
  }

  /** Of these numbers, those that have texted STOP (no text may go to them, queued or as a webhook's reply). */
  async smsOptedOut(em: EntityManager, numbers: readonly string[]): Promise<Set<string>> {
    if (numbers.length === 0) return new Set();
    const rows = await em.query<{ phone_number: string }[]>(
      'SELECT phone_number FROM sms_opt_out WHERE phone_number = ANY($1::varchar[])',
      [numbers],
    );
    return new Set(rows.map((r) => r.phone_number));
  }

  /** STOP (`optedOut` true) or START (false) from this number, in the caller's transaction. */
  async setSmsOptOut(em: EntityManager, number: string, optedOut: boolean): Promise<void> {
    await em.query(
      optedOut
        ? 'INSERT INTO sms_opt_out (phone_number) VALUES ($1) ON CONFLICT DO NOTHING'
        : 'DELETE FROM sms_opt_out WHERE phone_number = $1',
      [number],
    );
  }

  /** Queues a send job per text row, after the commit; never throws (the text sweeper sends them later). */
  async dispatchSms(ids: readonly string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const jobs = unique.map((outboundSmsId) => ({
      name: SmsJobName.Send,
      data: { outboundSmsId } satisfies SmsJobData[SmsJobName.Send],
      opts: { ...SMS_JOB_OPTIONS, jobId: smsJobId(outboundSmsId) },
    }));
    try {
      await enqueue(this.sms, jobs);
    } catch (err) {
      this.logger.warn(
        { outboundSmsIds: unique, err: errorText(err) },
        'Could not queue texts; the sweeper will send them',
      );
    }
  }
}
