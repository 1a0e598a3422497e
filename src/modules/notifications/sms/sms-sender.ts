import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { OutboxSender, type OutboxOutcome, type OutboxRow } from '../outbox/outbox-sender';
import { MAX_SMS_ATTEMPTS, smsRetryDelayMs } from './sms-jobs';
import { SmsTransport } from './sms-transport';

/** While one attempt is sending, others leave the row alone for this long. */
const CLAIM_MS = 2 * 60_000;

interface SmsRow extends OutboxRow {
  to_number: string;
  body: string;
  status_callback: string | null;
}

/** Sends one `outbound_sms` row through the shared outbox mechanism (OutboxSender: claim, deliver, mark, backoff). */
@Injectable()
export class SmsSender {
  private readonly outbox: OutboxSender<SmsRow>;

  constructor(@InjectDataSource() db: DataSource, transport: SmsTransport) {
    this.outbox = new OutboxSender<SmsRow>(
      db,
      {
        label: 'Text',
        idField: 'outboundSmsId',
        table: 'outbound_sms',
        columns: 'm.to_number, m.body, m.status_callback',
        providerColumn: 'provider_id',
        claimMs: CLAIM_MS,
        earlyToleranceMs: 1_000,
        maxAttempts: MAX_SMS_ATTEMPTS,
        retryDelayMs: smsRetryDelayMs,
        deliver: async (row) => {
          const providerId = await transport.send({
            id: row.id,
            to: row.to_number,
            body: row.body,
            createdAt: row.created_at,
            statusCallback: row.status_callback,
          });
          return { providerId, log: {} };
        },
        isPermanent: () => false,
      },
      new Logger(SmsSender.name),
    );
  }

  send(id: string): Promise<OutboxOutcome> {
    return this.outbox.send(id);
  }

  dueIds(limit: number): Promise<string[]> {
    return this.outbox.dueIds(limit);
  }
}
