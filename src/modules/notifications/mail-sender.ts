import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import type { SendMailOptions } from 'nodemailer';
import type { DataSource, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { runPrepared, type PreparedStatement } from '../../database/prepared-statement';
import {
  bareAddress,
  MAX_SEND_ATTEMPTS,
  outboxFileName,
  referenceHeader,
  retryDelayMs,
} from './domain/outbound-mail';
import { MailTemplates } from './mail-templates';
import { MailTransport, type Delivery } from './mail-transport';
import { OutboundMessage, type OutboundStatus } from './outbound-message.entity';
import { errorText } from '../../common/errors/error-text';

/**
 * How long a sender holds a row while it talks to the relay. The claim moves the row's `next_attempt_at` this
 * far ahead, so neither the sweeper nor a duplicate job touches the row meanwhile; a worker that dies
 * mid-send releases it when the claim runs out. Far longer than one SMTP conversation (see MailTransport).
 */
export const CLAIM_MS = 5 * 60_000;

/** A queue retry may wake a little before the row's `next_attempt_at` (clocks of two machines); allow this much. */
export const EARLY_TOLERANCE_MS = 1_000;

/**
 * The claim (see MailSender): moves the row's next_attempt_at to now + CLAIM_MS where it is pending and due, and
 * reads the row beside it as it was before (the claim only moves next_attempt_at). No row: it is gone.
 *
 *  $1 row id
 */
const CLAIM_MAIL: PreparedStatement = {
  name: 'outbound_claim',
  text: `
WITH claimed AS (
  UPDATE outbound_message SET next_attempt_at = now() + ${CLAIM_MS} * interval '1 millisecond'
  WHERE id = $1 AND status = 'pending' AND next_attempt_at <= now() + ${EARLY_TOLERANCE_MS} * interval '1 millisecond'
  RETURNING id
)
SELECT m.id, m.template, m.to_address, m.cc_addresses, m.subject, m.context, m.message_id, m.in_reply_to,
       m."references", m.automatic, m.status, m.attempts, m.next_attempt_at, m.created_at,
       EXISTS (SELECT 1 FROM claimed) AS claimed
FROM outbound_message m WHERE m.id = $1`,
};

/** Success: the row is sent, if it is still pending (a row that left meanwhile returns nothing). $1 row id */
const MARK_SENT: PreparedStatement = {
  name: 'outbound_sent',
  text: `
UPDATE outbound_message SET status = 'sent', sent_at = now(), attempts = attempts + 1, updated_at = now()
WHERE id = $1 AND status = 'pending' RETURNING id`,
};

/** What CLAIM_MAIL reads. */
interface ClaimRow {
  id: string;
  template: string;
  to_address: string;
  cc_addresses: string[];
  subject: string;
  context: Record<string, unknown>;
  message_id: string;
  in_reply_to: string | null;
  references: string[];
  automatic: boolean;
  status: OutboundStatus;
  attempts: number;
  next_attempt_at: Date;
  created_at: Date;
  claimed: boolean;
}

/** A row this attempt holds: what composing and recording the attempt need. */
type ClaimedMail = Pick<
  OutboundMessage,
  | 'id'
  | 'template'
  | 'toAddress'
  | 'ccAddresses'
  | 'subject'
  | 'context'
  | 'messageId'
  | 'inReplyTo'
  | 'references'
  | 'automatic'
  | 'attempts'
  | 'createdAt'
>;

export type SendOutcome =
  | { outcome: 'sent'; via: Delivery['via'] }
  /** Nothing to do: the row is gone (its transaction rolled back) or already sent / failed / suppressed. */
  | { outcome: 'skipped'; reason: 'missing' | Exclude<OutboundStatus, 'pending'> }
  /** Pending, but another attempt holds it or it is backing off: try again at `until`. Nothing was sent. */
  | { outcome: 'busy'; until: Date };

/**
 * Sends one `outbound_message` row, at most once per claim.
 *
 * 1. Claim: one UPDATE moves `next_attempt_at` to now + CLAIM_MS where the row is pending and due. Two jobs
 *    for the same row (a duplicate, a stalled job run again, a job re-queued after a queue flush) cannot both
 *    win it; the loser sends nothing.
 * 2. Render the templates and hand the message to the transport, with the Message-ID fixed on the row.
 * 3. Success: status 'sent', sent_at, attempts + 1 in one UPDATE guarded by `status = 'pending'`.
 *    Failure: attempts + 1, last_error (the error message only), next_attempt_at = now + backoff, then the
 *    error goes back to BullMQ, which retries after the same backoff. The row's own attempt count decides
 *    when to stop (MAX_SEND_ATTEMPTS), and so does a permanent SMTP refusal (5xx): the row becomes 'failed'
 *    (kept, listed, never deleted) and BullMQ is told not to retry (UnrecoverableError).
 *
 * The one window left is a crash between the relay's "250 OK" and step 3: the row is sent again when its
 * claim runs out. It is the same message with the same Message-ID, which mail clients show once; in outbox
 * mode it overwrites the same file.
 */
@Injectable()
export class MailSender {
  private readonly logger = new Logger(MailSender.name);
  private readonly loopStamp: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(OutboundMessage) private readonly messages: Repository<OutboundMessage>,
    private readonly templates: MailTemplates,
    private readonly transport: MailTransport,
    private readonly config: AppConfig,
  ) {
    this.loopStamp = bareAddress(config.env.MAIL_FROM);
  }

  async send(outboundMessageId: string): Promise<SendOutcome> {
    const row = await this.claim(outboundMessageId);
    if (!('id' in row)) return row;

    let delivery: Delivery;
    try {
      delivery = await this.transport.deliver(this.compose(row), outboxFileName(row.createdAt, row.id));
    } catch (err) {
      return this.recordFailure(row, err);
    }

    const done = await runPrepared<{ id: string }>(this.db, null, MARK_SENT, [row.id]);
    if (done.length === 0) {
      this.logger.warn({ outboundMessageId: row.id }, 'Mail sent, but the row had left "pending" meanwhile');
    }
    this.logger.log(
      { outboundMessageId: row.id, template: row.template, via: delivery.via, attempt: row.attempts + 1 },
      'Mail sent',
    );
    return { outcome: 'sent', via: delivery.via };
  }

  /** The row, claimed for this attempt; or why there is nothing to send now. One statement (CLAIM_MAIL). */
  private async claim(id: string): Promise<ClaimedMail | Exclude<SendOutcome, { outcome: 'sent' }>> {
    const [row] = await runPrepared<ClaimRow>(this.db, null, CLAIM_MAIL, [id]);
    if (!row) return { outcome: 'skipped', reason: 'missing' };
    if (row.claimed) {
      return {
        id: row.id,
        template: row.template,
        toAddress: row.to_address,
        ccAddresses: row.cc_addresses,
        subject: row.subject,
        context: row.context,
        messageId: row.message_id,
        inReplyTo: row.in_reply_to,
        references: row.references,
        automatic: row.automatic,
        attempts: row.attempts,
        createdAt: row.created_at,
      };
    }
    if (row.status !== 'pending') return { outcome: 'skipped', reason: row.status };
    return { outcome: 'busy', until: row.next_attempt_at };
  }

  private compose(row: ClaimedMail): SendMailOptions {
    const { html, text } = this.templates.render(row.template, row.context, row.subject);
    const headers: Record<string, string> = { 'X-Loop': this.loopStamp };
    if (row.automatic) headers['Auto-Submitted'] = 'auto-replied';
    const reference = referenceHeader(row.context.reference);
    if (reference) headers['X-RoseDesk-Reference'] = reference;
    return {
      from: this.config.env.MAIL_FROM,
      to: row.toAddress,
      cc: row.ccAddresses.length > 0 ? row.ccAddresses : undefined,
      subject: row.subject,
      messageId: row.messageId,
      date: row.createdAt,
      inReplyTo: row.inReplyTo ?? undefined,
      references: row.references.length > 0 ? row.references : undefined,
      headers,
      text,
      html,
    };
  }

  /** Records a failed attempt and rethrows for BullMQ: to retry later, or (UnrecoverableError) to stop. */
  private async recordFailure(row: ClaimedMail, err: unknown): Promise<never> {
    const attempts = row.attempts + 1;
    const lastError = errorText(err);
    const permanent = isPermanent(err);
    const final = permanent || attempts >= MAX_SEND_ATTEMPTS;
    const delayMs = retryDelayMs(attempts);
    try {
      await this.messages
        .createQueryBuilder()
        .update(OutboundMessage)
        .set({
          attempts: () => 'attempts + 1',
          lastError,
          ...(final
            ? { status: 'failed' as const }
            : { nextAttemptAt: () => `now() + ${delayMs} * interval '1 millisecond'` }),
        })
        .where('id = :id AND status = :pending', { id: row.id, pending: 'pending' })
        .execute();
    } catch (recordErr) {
      // The claim still holds the row; it is retried when the claim runs out.
      this.logger.error(
        { outboundMessageId: row.id, err: errorText(recordErr) },
        'Could not record a failed mail attempt',
      );
    }
    const decision = final
      ? permanent
        ? 'failed: permanent refusal'
        : 'failed: no attempts left'
      : `retry in ${delayMs} ms`;
    this.logger.warn(
      { outboundMessageId: row.id, attempt: attempts, error: lastError },
      `Mail attempt failed; ${decision}`,
    );
    if (final) throw new UnrecoverableError(lastError);
    throw err instanceof Error ? err : new Error(lastError);
  }
}

/** An SMTP refusal that the same message would get again (5xx but 503), or a message with no recipient. */
function isPermanent(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { permanent?: unknown; code?: unknown };
  return e.permanent === true || e.code === 'EENVELOPE';
}
