import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config';
import { runPrepared, type PreparedStatement } from '../../../database/prepared-statement';
import type { CreateGuard } from '../../incidents/create/create-sql';
import type { InboundStatus, IntakeLogEntry } from './inbound-message.entity';

/** A row claimed by one pipeline run: its id and the attempt number the claim was taken with. */
export interface ClaimedRow {
  id: string;
  attempt: number;
  mailbox: string;
  source: string;
  receivedAt: Date;
  raw: Buffer;
}

/** What a pipeline run decided, written with the row's final status. */
export interface Outcome {
  status: Extract<InboundStatus, 'processed' | 'refused'>;
  decision: string;
  step: number;
  reason: string;
  log: IntakeLogEntry[];
  kind?: string | null;
  messageId?: string | null;
  sender?: string | null;
  subject?: string | null;
  dedupeKey?: string | null;
  contentFingerprint?: string | null;
  senderVerified?: boolean | null;
  duplicateOf?: string | null;
  incidentId?: string | null;
}

/** The run lost its claim (another run took the row over, or it was finished meanwhile): roll back. */
export class LostClaimError extends Error {
  constructor(id: string) {
    super(`inbound message ${id} is no longer claimed by this run`);
    this.name = 'LostClaimError';
  }
}

/**
 * The id of another row of the mailbox that holds this message's dedupe key (SQL expressions for each value), or
 * null: one with the same key and content fingerprint, else one stored before fingerprints existed (none) with the
 * key or the legacy key. Two lookups of the unique (mailbox, dedupe_key, content_fingerprint) index, the second
 * only when the first finds nothing: one OR of both let a plan made while the table was small scan the mailbox.
 */
export function dedupeHolderSql(v: {
  mailbox: string;
  key: string;
  except: string;
  fingerprint: string;
  legacyKey: string;
}): string {
  return `coalesce(
    (SELECT id FROM inbound_message WHERE mailbox = ${v.mailbox} AND dedupe_key = ${v.key}
       AND content_fingerprint = ${v.fingerprint} AND id <> ${v.except} LIMIT 1),
    (SELECT id FROM inbound_message WHERE mailbox = ${v.mailbox} AND dedupe_key IN (${v.key}, ${v.legacyKey})
       AND content_fingerprint IS NULL AND id <> ${v.except} LIMIT 1))`;
}

/**
 * Claims a received row, or a processing row whose claim ran out, for $2 seconds; no row when there is nothing
 * to do. Every message's run starts with it, so it is a prepared statement.
 */
const CLAIM_ROW: PreparedStatement = {
  name: 'inbound_claim',
  text: `UPDATE inbound_message SET status = 'processing', attempts = attempts + 1,
              claimed_until = now() + make_interval(secs => $2), updated_at = now()
       WHERE id = $1 AND (status = 'received' OR (status = 'processing' AND claimed_until < now()))
       RETURNING id, attempts, mailbox, source, received_at, raw`,
};

/** TypeORM answers a raw UPDATE on PostgreSQL with `[rows, rowCount]`. */
function updated<T = unknown>(raw: unknown): { rows: T[]; affected: number } {
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') {
    return { rows: raw[0] as T[], affected: raw[1] };
  }
  throw new Error('unexpected result shape from an UPDATE');
}

/** The outcome's UPDATE, guarded by the claim, with its parameters numbered from `first` (finishParams' order). */
function finishSql(first: number): string {
  const $ = (k: number): string => `$${first + k}`;
  return `UPDATE inbound_message SET status = ${$(2)}, decision = ${$(3)}, step = ${$(4)}, reason = ${$(5)}, log = ${$(6)}::jsonb,
      kind = ${$(7)}, message_id = ${$(8)}, sender = ${$(9)}, subject = ${$(10)}, dedupe_key = ${$(11)}, duplicate_of = ${$(12)}::uuid,
      incident_id = ${$(13)}::uuid, content_fingerprint = ${$(14)}, sender_verified = ${$(15)}::boolean, error = NULL, claimed_until = NULL, processed_at = clock_timestamp(), updated_at = now()
    WHERE id = ${$(0)}::uuid AND status = 'processing' AND attempts = ${$(1)}::int`;
}

function finishParams(claim: ClaimedRow, outcome: Outcome): unknown[] {
  return [
    claim.id,
    claim.attempt,
    outcome.status,
    outcome.decision,
    outcome.step,
    outcome.reason.slice(0, 2000),
    JSON.stringify(outcome.log),
    outcome.kind ?? null,
    outcome.messageId?.slice(0, 1000) ?? null,
    outcome.sender?.slice(0, 320) ?? null,
    outcome.subject?.slice(0, 400) ?? null,
    outcome.dedupeKey ?? null,
    outcome.duplicateOf ?? null,
    outcome.incidentId ?? null,
    outcome.contentFingerprint ?? null,
    outcome.senderVerified ?? null,
  ];
}

/** The SQL of the intake log's state changes; each statement is guarded by the claim. */
@Injectable()
export class InboundRows {
  /**
   * How long a run holds a message (INTAKE_CLAIM_SECONDS); past it, the sweeper gives the message to another run.
   * Taking over a live run is safe: its commit is guarded by the claim and rolls back.
   */
  private readonly claimSeconds: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    config: AppConfig,
  ) {
    this.claimSeconds = config.env.INTAKE_CLAIM_SECONDS;
  }

  /** Claims a received row, or a processing row whose claim ran out; null when there is nothing to do. */
  async claim(id: string): Promise<ClaimedRow | null> {
    type Row = {
      id: string;
      attempts: number;
      mailbox: string;
      source: string;
      received_at: Date;
      raw: Buffer;
    };
    const [row] = await runPrepared<Row>(this.db, null, CLAIM_ROW, [id, this.claimSeconds]);
    return row
      ? {
          id: row.id,
          attempt: row.attempts,
          mailbox: row.mailbox,
          source: row.source,
          receivedAt: row.received_at,
          raw: row.raw,
        }
      : null;
  }

  /** The row that already holds this dedupe key in the mailbox, if any. */
  async holderOf(
    mailbox: string,
    key: { key: string; fingerprint: string; legacyKey: string },
    except: string,
  ): Promise<string | null> {
    const [row] = await this.db.query<{ holder: string | null }[]>(
      `SELECT ${dedupeHolderSql({ mailbox: '$1', key: '$2', except: '$3', fingerprint: '$4', legacyKey: '$5' })} AS holder`,
      [mailbox, key.key, except, key.fingerprint, key.legacyKey],
    );
    return row.holder;
  }

  /** Writes the outcome in the caller's transaction; throws LostClaimError when the claim is gone. */
  async finish(em: EntityManager, claim: ClaimedRow, outcome: Outcome): Promise<void> {
    const result = updated(await em.query(finishSql(1), finishParams(claim, outcome)));
    if (result.affected !== 1) throw new LostClaimError(claim.id);
  }

  /**
   * The same write as a guard of the incident create statement (CreateHooks.inStatement): it returns a row only
   * while the claim holds, so a lost claim writes neither the outcome nor the incident.
   */
  finishGuard(claim: ClaimedRow, outcome: Outcome, firstParam: number): CreateGuard {
    return {
      name: 'inbound_finish',
      sql: `${finishSql(firstParam)} RETURNING id`,
      params: finishParams(claim, outcome),
      lost: () => new LostClaimError(claim.id),
    };
  }

  /** Records a failed run: back to `received` for another attempt, or `failed` for good (kept, retryable by hand). */
  async fail(
    claim: ClaimedRow,
    error: string,
    final: boolean,
    log: IntakeLogEntry[],
    parsed: { messageId?: string | null; sender?: string | null; subject?: string | null } = {},
  ): Promise<void> {
    await this.db.query(
      `UPDATE inbound_message SET status = $3::varchar, error = $4, log = $5::jsonb, claimed_until = NULL, updated_at = now(),
              decision = CASE WHEN $3::varchar = 'failed' THEN 'failed' ELSE decision END,
              message_id = coalesce($6, message_id), sender = coalesce($7, sender), subject = coalesce($8, subject)
       WHERE id = $1 AND status = 'processing' AND attempts = $2`,
      [
        claim.id,
        claim.attempt,
        final ? 'failed' : 'received',
        error.slice(0, 2000),
        JSON.stringify(log),
        parsed.messageId?.slice(0, 1000) ?? null,
        parsed.sender?.slice(0, 320) ?? null,
        parsed.subject?.slice(0, 400) ?? null,
      ],
    );
  }

  /** Puts a failed or refused row back to `received` for another run (attempts start again). */
  async reopenForRetry(id: string): Promise<InboundStatus | null> {
    const result = updated<{ status: InboundStatus }>(
      await this.db.query(
        `WITH before AS (SELECT status FROM inbound_message WHERE id = $1 FOR UPDATE)
       UPDATE inbound_message m SET status = CASE WHEN b.status IN ('failed', 'refused') THEN 'received' ELSE b.status END,
              attempts = CASE WHEN b.status IN ('failed', 'refused') THEN 0 ELSE m.attempts END, updated_at = now()
       FROM before b WHERE m.id = $1 RETURNING b.status`,
        [id],
      ),
    );
    return result.rows[0]?.status ?? null;
  }
}
