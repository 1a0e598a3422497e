import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SmsTransport } from './sms-transport';
import { errorText } from '../../common/errors/error-text';

/** Attempts before a text is given up as failed. */
export const MAX_SMS_ATTEMPTS = 10;
/** While one attempt is sending, others leave the row alone for this long. */
const CLAIM_MS = 2 * 60_000;

export type SmsOutcome = 'sent' | 'not-due' | 'failed';

interface SmsRow {
  id: string;
  to_number: string;
  body: string;
  attempts: number;
  created_at: Date;
}

/**
 * Sends one outbound_sms row. The row is claimed first (attempts + 1, next_attempt_at pushed ahead), so two jobs
 * for one row cannot both send; a row that is not pending or not due is left alone.
 */
@Injectable()
export class SmsSender {
  private readonly logger = new Logger(SmsSender.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly transport: SmsTransport,
  ) {}

  async send(id: string): Promise<SmsOutcome> {
    const [claimed] = await this.db.query<[SmsRow[], number]>(
      `UPDATE outbound_sms SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2), updated_at = now()
       WHERE id = $1 AND status = 'pending' AND next_attempt_at <= now() RETURNING id, to_number, body, attempts, created_at`,
      [id, CLAIM_MS / 1000],
    );
    const row = claimed[0];
    if (!row) return 'not-due';
    try {
      const providerId = await this.transport.send({
        id: row.id,
        to: row.to_number,
        body: row.body,
        createdAt: row.created_at,
      });
      await this.db.query(
        "UPDATE outbound_sms SET status = 'sent', provider_id = $2, sent_at = now(), last_error = NULL, updated_at = now() WHERE id = $1",
        [row.id, providerId],
      );
      this.logger.log({ outboundSmsId: row.id }, 'Text sent');
      return 'sent';
    } catch (err) {
      const failed = row.attempts >= MAX_SMS_ATTEMPTS;
      await this.db.query(
        `UPDATE outbound_sms SET status = $2, last_error = $3, next_attempt_at = now(), updated_at = now() WHERE id = $1`,
        [row.id, failed ? 'failed' : 'pending', errorText(err).slice(0, 500)],
      );
      this.logger.warn(
        { outboundSmsId: row.id, attempts: row.attempts, err: errorText(err) },
        failed ? 'Text failed for good' : 'Text not sent; will retry',
      );
      if (failed) return 'failed';
      throw err;
    }
  }
}
