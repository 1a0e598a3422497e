import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SendMailOptions } from 'nodemailer';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import {
  bareAddress,
  MAX_SEND_ATTEMPTS,
  outboxFileName,
  referenceHeader,
  retryDelayMs,
} from './domain/outbound-mail';
import { MailTemplates } from './mail-templates';
import { MailTransport } from './mail-transport';
import { loadAttachments } from './outbound-attachments';
import { OutboxSender, type OutboxOutcome, type OutboxRow } from './outbox/outbox-sender';

/**
 * How long a sender holds a row while it talks to the relay. The claim moves the row's `next_attempt_at` this
 * far ahead, so neither the sweeper nor a duplicate job touches the row meanwhile; a worker that dies
 * mid-send releases it when the claim runs out. Far longer than one SMTP conversation (see MailTransport).
 */
export const CLAIM_MS = 5 * 60_000;

/** A queue retry may wake a little before the row's `next_attempt_at` (clocks of two machines); allow this much. */
export const EARLY_TOLERANCE_MS = 1_000;

/** An outbound_message row as the claim reads it. */
interface MailRow extends OutboxRow {
  template: string;
  to_address: string;
  cc_addresses: string[];
  subject: string;
  context: Record<string, unknown>;
  message_id: string;
  in_reply_to: string | null;
  references: string[];
  automatic: boolean;
}

export type SendOutcome = OutboxOutcome;

/**
 * Sends one `outbound_message` row through the shared outbox mechanism (OutboxSender: claim, deliver, mark,
 * backoff): renders its templates and hands the message to the transport with the Message-ID fixed on the row.
 * A permanent SMTP refusal (5xx but 503), or a message with no recipient, stops the retries; MAX_SEND_ATTEMPTS
 * otherwise.
 */
@Injectable()
export class MailSender {
  private readonly outbox: OutboxSender<MailRow>;
  private readonly loopStamp: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly templates: MailTemplates,
    private readonly transport: MailTransport,
    private readonly config: AppConfig,
  ) {
    this.loopStamp = bareAddress(config.env.MAIL_FROM);
    this.outbox = new OutboxSender<MailRow>(
      db,
      {
        label: 'Mail',
        idField: 'outboundMessageId',
        table: 'outbound_message',
        columns:
          'm.template, m.to_address, m.cc_addresses, m.subject, m.context, m.message_id, m.in_reply_to, m."references", m.automatic',
        providerColumn: null,
        claimMs: CLAIM_MS,
        earlyToleranceMs: EARLY_TOLERANCE_MS,
        maxAttempts: MAX_SEND_ATTEMPTS,
        retryDelayMs,
        deliver: async (row) => {
          const delivery = await this.transport.deliver(
            { ...this.compose(row), attachments: await loadAttachments(this.db, row.id) },
            outboxFileName(row.created_at, row.id),
          );
          return { providerId: null, log: { template: row.template, via: delivery.via } };
        },
        isPermanent,
      },
      new Logger(MailSender.name),
    );
  }

  send(outboundMessageId: string): Promise<SendOutcome> {
    return this.outbox.send(outboundMessageId);
  }

  /** Pending rows due now (for the sweeper). */
  dueIds(limit: number): Promise<string[]> {
    return this.outbox.dueIds(limit);
  }

  private compose(row: MailRow): SendMailOptions {
    const { html, text } = this.templates.render(row.template, row.context, row.subject);
    const headers: Record<string, string> = { 'X-Loop': this.loopStamp };
    if (row.automatic) headers['Auto-Submitted'] = 'auto-replied';
    const reference = referenceHeader(row.context.reference);
    if (reference) headers['X-RoseDesk-Reference'] = reference;
    return {
      from: this.config.env.MAIL_FROM,
      to: row.to_address,
      cc: row.cc_addresses.length > 0 ? row.cc_addresses : undefined,
      subject: row.subject,
      messageId: row.message_id,
      date: row.created_at,
      inReplyTo: row.in_reply_to ?? undefined,
      references: row.references.length > 0 ? row.references : undefined,
      headers,
      text,
      html,
    };
  }
}

/** An SMTP refusal that the same message would get again (5xx but 503), or a message with no recipient. */
function isPermanent(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { permanent?: unknown; code?: unknown };
  return e.permanent === true || e.code === 'EENVELOPE';
}
