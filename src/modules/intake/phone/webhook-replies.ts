import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** Which webhook this is, for answering a retry the same way (twilio_webhook). */
export interface WebhookKey {
  /** `voice:{CallSid}:{step}:{turn}`, `sms:{MessageSid}`, ... */
  key: string;
  /** Twilio's `I-Twilio-Idempotency-Token` header, the same on every retry of one webhook. */
  token: string | null;
}

/** Raised inside a transaction that finds its webhook already answered: it rolls back, and the answer is re-read. */
export class AlreadyAnswered extends Error {
  constructor() {
    super('This webhook was answered already');
    this.name = 'AlreadyAnswered';
  }
}

/**
 * The answers given to Twilio's webhooks, so that a retry is answered as the first delivery was and processed no
 * further. `save` runs in the transaction that did the webhook's work; `find` before it (the common retry) and
 * inside it, after the lock that orders a webhook with its duplicates.
 */
@Injectable()
export class WebhookReplies {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async find(em: EntityManager | null, at: WebhookKey): Promise<string | null> {
    const rows = await (em ?? this.db.manager).query<{ response: string }[]>(
      `SELECT response FROM twilio_webhook WHERE key = $1 OR ($2::text IS NOT NULL AND idempotency_token = $2) LIMIT 1`,
      [at.key, at.token],
    );
    return rows[0]?.response ?? null;
  }

  async save(em: EntityManager | null, at: WebhookKey, response: string): Promise<void> {
    await (em ?? this.db.manager).query(
      'INSERT INTO twilio_webhook (key, idempotency_token, response) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [at.key, at.token, response],
    );
  }

  /** Answers kept longer than Twilio retries (a week) go. */
  async prune(olderThan: Date): Promise<number> {
    // A DELETE through TypeORM answers [rows, affected].
    const [, affected] = await this.db.query<[unknown[], number]>(
      'DELETE FROM twilio_webhook WHERE created_at < $1',
      [olderThan],
    );
    return affected;
  }
}
