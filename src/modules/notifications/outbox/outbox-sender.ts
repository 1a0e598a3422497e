import type { Logger } from '@nestjs/common';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { errorText } from '../../../common/errors/error-text';
import { runPrepared, type PreparedStatement } from '../../../database/prepared-statement';

/**
 * How long a channel's completed send jobs are kept (their `removeOnComplete`): an hour, by age and not by count.
 * On BullMQ's PostgreSQL backend a count ("the newest 1,000") is enforced at every completion by a DELETE over every
 * completed job of the queue, which under a burst of SLA warning mails took most of the database's time (10-17 ms
 * a mail in bench:sla); an age is one index range, empty until the hour has passed.
 */
export const COMPLETED_JOB_KEEP_S = 3600;

/** The statuses every outbox table's rows go through. */
export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'suppressed';

/** What every outbox claim reads of a row, beside the channel's own columns. */
export interface OutboxRow {
  id: string;
  attempts: number;
  created_at: Date;
}

/** One kind of outbound message (mail, text) on the shared outbox mechanism. */
export interface OutboxChannel<R extends OutboxRow> {
  /** For logs: `Mail`, `Text`. */
  readonly label: string;
  /** The log field naming the row: `outboundMessageId`, `outboundSmsId`. */
  readonly idField: string;
  /** The table: id, status, attempts, last_error, next_attempt_at, sent_at, created_at, updated_at. */
  readonly table: string;
  /** The channel's own columns the claim reads for deliver (as `m.column`). */
  readonly columns: string;
  /** A column the provider's id for the message is stored in when sent, if the table has one. */
  readonly providerColumn: string | null;
  /** How long a sender holds a row while it delivers: far longer than one delivery may take. */
  readonly claimMs: number;
  /** A queue retry may wake a little before the row's `next_attempt_at` (clocks of two machines). */
  readonly earlyToleranceMs: number;
  readonly maxAttempts: number;
  /** The wait after the n-th failed attempt (1-based); the queue's own backoff uses the same formula. */
  retryDelayMs(attempts: number): number;
  /** Hands the message to the provider; returns the provider's id for it (or null) and what to log. */
  deliver(row: R): Promise<{ providerId: string | null; log: Record<string, unknown> }>;
  /** An error the same message would get again (a permanent refusal): no more attempts. */
  isPermanent(err: unknown): boolean;
}

export type OutboxOutcome =
  | { outcome: 'sent'; log: Record<string, unknown> }
  /** Nothing to do: the row is gone (its transaction rolled back) or already sent / failed / suppressed. */
  | { outcome: 'skipped'; reason: 'missing' | Exclude<OutboxStatus, 'pending'> }
  /** Pending, but another attempt holds it or it is backing off: try again at `until`. Nothing was sent. */
  | { outcome: 'busy'; until: Date };

/**
 * Sends one outbox row, at most once per claim. The mechanism every outbound channel shares:
 *
 * 1. Claim: one UPDATE moves `next_attempt_at` to now + claimMs where the row is pending and due. Two jobs for
 *    the same row (a duplicate, a stalled job run again, a job re-queued after a queue flush) cannot both win it;
 *    the loser sends nothing. The same statement reads the row.
 * 2. Deliver through the channel.
 * 3. Success: status 'sent', sent_at, attempts + 1 (and the provider's id) in one UPDATE guarded by
 *    `status = 'pending'`. Failure: attempts + 1, last_error (the error's message only), next_attempt_at = now +
 *    backoff, then the error goes back to BullMQ, which retries after the same backoff. The row's own attempt count
 *    decides when to stop, and so does a permanent refusal: the row becomes 'failed' (kept, listed, never deleted)
 *    and BullMQ is told not to retry (UnrecoverableError).
 *
 * The one window left is a crash between the provider's acceptance and step 3: the row is sent again when its
 * claim runs out (for mail, the same message with the same Message-ID, which mail clients show once).
 */
export class OutboxSender<R extends OutboxRow> {
  private readonly claimStatement: PreparedStatement;
  private readonly sentStatement: PreparedStatement;

  constructor(
    private readonly db: DataSource,
    private readonly channel: OutboxChannel<R>,
    private readonly logger: Logger,
  ) {
    const { table } = channel;
    this.claimStatement = {
      name: `${table}_claim`,
      text: `
WITH claimed AS (
  UPDATE ${table} SET next_attempt_at = now() + ${channel.claimMs} * interval '1 millisecond'
  WHERE id = $1 AND status = 'pending' AND next_attempt_at <= now() + ${channel.earlyToleranceMs} * interval '1 millisecond'
  RETURNING id
)
SELECT m.id, m.status, m.attempts, m.next_attempt_at, m.created_at, ${channel.columns},
       EXISTS (SELECT 1 FROM claimed) AS claimed
FROM ${table} m WHERE m.id = $1`,
    };
    const provider = channel.providerColumn ? `, ${channel.providerColumn} = $2` : '';
    this.sentStatement = {
      name: `${table}_sent`,
      text: `UPDATE ${table} SET status = 'sent', sent_at = now(), attempts = attempts + 1,
             updated_at = now()${provider} WHERE id = $1 AND status = 'pending' RETURNING id`,
    };
  }

  async send(id: string): Promise<OutboxOutcome> {
    const [row] = await runPrepared<R & { status: OutboxStatus; next_attempt_at: Date; claimed: boolean }>(
      this.db,
      null,
      this.claimStatement,
      [id],
    );
    if (!row) return { outcome: 'skipped', reason: 'missing' };
    if (!row.claimed) {
      if (row.status !== 'pending') return { outcome: 'skipped', reason: row.status };
      return { outcome: 'busy', until: row.next_attempt_at };
    }
    let delivered: { providerId: string | null; log: Record<string, unknown> };
    try {
      delivered = await this.channel.deliver(row);
    } catch (err) {
      return this.recordFailure(row, err);
    }
    const params = this.channel.providerColumn ? [row.id, delivered.providerId] : [row.id];
    const done = await runPrepared<{ id: string }>(this.db, null, this.sentStatement, params);
    if (done.length === 0) {
      this.logger.warn(
        { [this.channel.idField]: row.id },
        `${this.channel.label} sent, but the row had left "pending" meanwhile`,
      );
    }
    const log = { [this.channel.idField]: row.id, ...delivered.log, attempt: row.attempts + 1 };
    this.logger.log(log, `${this.channel.label} sent`);
    return { outcome: 'sent', log };
  }

  /** Pending rows due now, oldest first: what a sweeper makes sure has a job. */
  async dueIds(limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM ${this.channel.table} WHERE status = 'pending' AND next_attempt_at <= now()
       ORDER BY next_attempt_at, id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** Records a failed attempt and rethrows for BullMQ: to retry later, or (UnrecoverableError) to stop. */
  private async recordFailure(row: R, err: unknown): Promise<never> {
    const attempts = row.attempts + 1;
    const lastError = errorText(err);
    const permanent = this.channel.isPermanent(err);
    const final = permanent || attempts >= this.channel.maxAttempts;
    const delayMs = this.channel.retryDelayMs(attempts);
    try {
      await this.db.query(
        `UPDATE ${this.channel.table} SET attempts = attempts + 1, last_error = $2, updated_at = now(),
           status = CASE WHEN $3::boolean THEN 'failed' ELSE status END,
           next_attempt_at = CASE WHEN $3::boolean THEN next_attempt_at ELSE now() + $4 * interval '1 millisecond' END
         WHERE id = $1 AND status = 'pending'`,
        [row.id, lastError, final, delayMs],
      );
    } catch (recordErr) {
      // The claim still holds the row; it is retried when the claim runs out.
      this.logger.error(
        { [this.channel.idField]: row.id, err: errorText(recordErr) },
        `Could not record a failed ${this.channel.label.toLowerCase()} attempt`,
      );
    }
    const decision = final
      ? permanent
        ? 'failed: permanent refusal'
        : 'failed: no attempts left'
      : `retry in ${delayMs} ms`;
    this.logger.warn(
      { [this.channel.idField]: row.id, attempt: attempts, error: lastError },
      `${this.channel.label} attempt failed; ${decision}`,
    );
    if (final) throw new UnrecoverableError(lastError);
    throw err instanceof Error ? err : new Error(lastError);
  }
}

/** Slack added when a job waits for a row's claim or backoff to run out. */
const WAKE_SLACK_MS = 250;

/**
 * For a processor: when another attempt holds the row, or its backoff has not run out, the job comes back then
 * without using up an attempt (if that other attempt sends it, this job then finds it sent and does nothing).
 * Otherwise returns the outcome.
 */
export async function waitIfBusy(
  job: Job,
  token: string | undefined,
  result: OutboxOutcome,
): Promise<OutboxOutcome['outcome']> {
  if (result.outcome === 'busy' && token) {
    await job.moveToDelayed(Math.max(Date.now(), result.until.getTime()) + WAKE_SLACK_MS, token);
    throw new DelayedError();
  }
  return result.outcome;
}
