import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { PhoneCall } from './phone-call.entity';
import type { WebhookKey } from './webhook-replies';

/** What a webhook may change on its call's row (last_activity_at is set by every change). */
export type CallChanges = Partial<
  Pick<
    PhoneCall,
    | 'state'
    | 'endedAt'
    | 'durationSeconds'
    | 'twilioStatus'
    | 'recordingSid'
    | 'recordingUrl'
    | 'recordingSeconds'
    | 'transcription'
    | 'transcriptionStatus'
    | 'outcome'
    | 'incidentId'
  >
>;

const COLUMNS: Readonly<Record<keyof CallChanges, string>> = {
  state: 'state',
  endedAt: 'ended_at',
  durationSeconds: 'duration_seconds',
  twilioStatus: 'twilio_status',
  recordingSid: 'recording_sid',
  recordingUrl: 'recording_url',
  recordingSeconds: 'recording_seconds',
  transcription: 'transcription',
  transcriptionStatus: 'transcription_status',
  outcome: 'outcome',
  incidentId: 'incident_id',
};

/** Every column of a PhoneCall, named as the entity names them. */
const READ_COLUMNS = `id, call_sid AS "callSid", from_number AS "fromNumber", to_number AS "toNumber",
  contact_id AS "contactId", caller_name AS "callerName", started_at AS "startedAt",
  last_activity_at AS "lastActivityAt", ended_at AS "endedAt", duration_seconds AS "durationSeconds",
  twilio_status AS "twilioStatus", state, recording_sid AS "recordingSid", recording_url AS "recordingUrl",
  recording_seconds AS "recordingSeconds", transcription_status AS "transcriptionStatus", transcription, outcome,
  incident_id AS "incidentId", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The webhook answer a change stores with it (in the same statement). */
export interface Answer {
  at: WebhookKey;
  response: string;
}

/** The condition a change is made on: the call still at this turn (every change of its state moves the turn). */
export type CallGuard =
  | { turn: number; notEnded?: boolean }
  /** A transcription: kept once, whatever the state. */
  | { noTranscription: true };

/**
 * The phone_call rows: the call log, and each call's concurrency. Most webhooks change their call in one statement
 * guarded by the call's turn (`change`): a duplicate or a concurrent webhook of the same call finds the turn moved on,
 * changes nothing, and reads the answer the first one stored. The create paths lock the row instead (`lock`), inside
 * the create's transaction.
 */
@Injectable()
export class CallStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The call as it stands (a plain read: every webhook starts with one, so no query builder). */
  async read(callSid: string): Promise<PhoneCall | null> {
    const rows = await this.db.query<PhoneCall[]>(
      `SELECT ${READ_COLUMNS} FROM phone_call WHERE call_sid = $1`,
      [callSid],
    );
    return rows[0] ?? null;
  }

  /** Locks the call's row until the transaction ends: a call's webhooks are handled one at a time. */
  async lock(em: EntityManager, callSid: string): Promise<PhoneCall | null> {
    const rows = await em.query<PhoneCall[]>(
      `SELECT ${READ_COLUMNS} FROM phone_call WHERE call_sid = $1 FOR UPDATE`,
      [callSid],
    );
    return rows[0] ?? null;
  }

  /**
   * A new call's row and the answer to its first webhook, in one statement; false when the call exists already (a
   * duplicate of its first webhook got there first, and its answer is stored).
   */
  async insert(
    call: Pick<
      PhoneCall,
      'callSid' | 'fromNumber' | 'toNumber' | 'contactId' | 'callerName' | 'startedAt' | 'state'
    >,
    answer: Answer,
  ): Promise<boolean> {
    const rows = await this.db.query<{ key: string }[]>(
      `WITH c AS (
         INSERT INTO phone_call (call_sid, from_number, to_number, contact_id, caller_name, started_at, last_activity_at, state)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7::jsonb) ON CONFLICT (call_sid) DO NOTHING RETURNING id
       )
       INSERT INTO twilio_webhook (key, idempotency_token, response) SELECT $8, $9, $10 FROM c ON CONFLICT DO NOTHING
       RETURNING key`,
      [
        call.callSid,
        call.fromNumber,
        call.toNumber,
        call.contactId,
        call.callerName,
        call.startedAt,
        JSON.stringify(call.state),
        answer.at.key,
        answer.at.token,
        answer.response,
      ],
    );
    return rows.length > 0;
  }

  /**
   * Changes the call where `guard` still holds, and stores the webhook's answer with it, in one statement (so without
   * BEGIN and COMMIT); false when the guard no longer holds (nothing changed, nothing stored).
   */
  async change(
    id: string,
    guard: CallGuard,
    changes: CallChanges,
    now: Date,
    answer: Answer | null,
    em?: EntityManager,
  ): Promise<boolean> {
    const params: unknown[] = [id, now];
    const sets = ['last_activity_at = $2', 'updated_at = now()'];
    for (const [key, value] of Object.entries(changes) as [keyof CallChanges, unknown][]) {
      params.push(key === 'state' ? JSON.stringify(value) : value);
      sets.push(`${COLUMNS[key]} = $${params.length}${key === 'state' ? '::jsonb' : ''}`);
    }
    let where: string;
    if ('turn' in guard) {
      params.push(guard.turn);
      where = `(state->>'turn')::int = $${params.length}${guard.notEnded ? ' AND ended_at IS NULL' : ''}`;
    } else where = 'transcription_status IS NULL';
    let stored = '';
    if (answer) {
      params.push(answer.at.key, answer.at.token, answer.response);
      const n = params.length;
      stored = `, stored AS (
        INSERT INTO twilio_webhook (key, idempotency_token, response) SELECT $${n - 2}, $${n - 1}, $${n} FROM changed
        ON CONFLICT DO NOTHING)`;
    }
    const rows = await (em ?? this.db.manager).query<{ changed: number }[]>(
      `WITH changed AS (UPDATE phone_call SET ${sets.join(', ')} WHERE id = $1 AND ${where} RETURNING id)${stored}
       SELECT count(*)::int AS changed FROM changed`,
      params,
    );
    return rows[0].changed > 0;
  }

  /** Inside a create's transaction, with the call's row locked: its changes, and the webhook's answer. */
  async update(
    em: EntityManager,
    locked: PhoneCall,
    changes: CallChanges,
    now: Date,
    answer: Answer | null,
  ): Promise<void> {
    await this.change(locked.id, { turn: locked.state.turn }, changes, now, answer, em);
  }

  /**
   * Calls that have not ended and have been silent since `before` (their status callback was lost, or never
   * configured), oldest first; a call put through to on-call only once silent since `dialBefore`.
   */
  async idle(
    before: Date,
    dialBefore: Date,
    limit: number,
  ): Promise<{ callSid: string; lastActivityAt: Date }[]> {
    const rows = await this.db.query<{ call_sid: string; last_activity_at: Date }[]>(
      `SELECT call_sid, last_activity_at FROM phone_call
        WHERE ended_at IS NULL AND last_activity_at < $1 AND (state->>'stage' <> 'dialling' OR last_activity_at < $2)
        ORDER BY last_activity_at LIMIT $3`,
      [before, dialBefore, limit],
    );
    return rows.map((r) => ({ callSid: r.call_sid, lastActivityAt: r.last_activity_at }));
  }
}
