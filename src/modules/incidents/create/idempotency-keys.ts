import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { errorText } from '../../../common/errors/error-text';
import { Clock } from '../../../common/time/clock';
import type { IncidentView } from '../dto/incident.dto';
import type { CreateGuard } from './create-sql';
import type { CreatedIncident, CreateHooks } from './new-incident';

const KEEP_SECONDS = 24 * 60 * 60;
const SWEEP_EVERY_MS = 60_000;
/** What an Idempotency-Key may be: 1 to 255 visible ASCII characters. */
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The key is taken (by a create that won the race): look it up again. */
class KeyTaken extends Error {
  constructor() {
    super('The Idempotency-Key was taken by another request');
    this.name = 'KeyTaken';
  }
}

interface KeyRow {
  request_hash: string;
  incident_id: string;
  response: IncidentView | null;
}

/**
 * `Idempotency-Key` on `POST /api/incidents` (table api_idempotency, per user): the same key with the same body
 * within 24 hours answers the first create's answer and creates nothing; the same key with another body is a 409.
 * The key is written with the incident in its create statement (a create guard), so two requests racing with one
 * key make one incident: the loser's statement writes nothing and it answers as a retry.
 */
@Injectable()
export class IdempotencyKeys {
  private readonly logger = new Logger(IdempotencyKeys.name);
  private nextSweep = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Runs `create` once per (user, key, body); a retry gets the first answer. */
  async create(
    userId: string,
    key: string,
    body: unknown,
    create: (hooks: CreateHooks) => Promise<CreatedIncident>,
    present: (incidentId: string) => Promise<IncidentView>,
  ): Promise<IncidentView> {
    if (!KEY.test(key)) {
      throw new DomainError(
        'REQUEST.VALIDATION_FAILED',
        'Idempotency-Key: 1 to 255 visible ASCII characters.',
        { fields: [{ field: 'Idempotency-Key', reasons: ['must be 1 to 255 visible ASCII characters'] }] },
      );
    }
    const hash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    const earlier = await this.find(userId, key);
    if (earlier) return this.replay(earlier, hash, present);
    this.sweepNowAndThen();
    let created: CreatedIncident;
    try {
      created = await create({
        inStatement: (incident, firstParam) => this.guard(userId, key, hash, incident.id, firstParam),
      });
    } catch (err) {
      if (!(err instanceof KeyTaken)) throw err;
      const winner = await this.find(userId, key);
      if (!winner) throw err;
      return this.replay(winner, hash, present);
    }
    // The answer, for retries; until it is written (or if this fails) a retry presents the incident afresh.
    await this.db
      .query('UPDATE api_idempotency SET response = $3::jsonb WHERE user_id = $1 AND key = $2', [
        userId,
        key,
        JSON.stringify(created.incident),
      ])
      .catch((err: unknown) =>
        this.logger.warn({ err: errorText(err) }, 'Could not keep an idempotent answer'),
      );
    return created.incident;
  }

  private async find(userId: string, key: string): Promise<KeyRow | null> {
    const [row] = await this.db.query<KeyRow[]>(
      `SELECT request_hash, incident_id, response FROM api_idempotency
       WHERE user_id = $1 AND key = $2 AND created_at > now() - make_interval(secs => $3)`,
      [userId, key, KEEP_SECONDS],
    );
    return row ?? null;
  }

  private async replay(
    row: KeyRow,
    hash: string,
    present: (incidentId: string) => Promise<IncidentView>,
  ): Promise<IncidentView> {
    if (row.request_hash !== hash) {
      throw new DomainError(
        'INCIDENT.IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used within the last 24 hours with another request body.',
        { field: 'Idempotency-Key' },
      );
    }
    return row.response ?? present(row.incident_id);
  }

  /** Records the key with the incident; an unexpired row for the key makes the whole create write nothing. */
  private guard(userId: string, key: string, hash: string, incidentId: string, first: number): CreateGuard {
    const $ = (k: number): string => `$${first + k}`;
    return {
      name: 'api_idempotency',
      sql: `INSERT INTO api_idempotency (user_id, key, request_hash, incident_id)
            VALUES (${$(0)}::uuid, ${$(1)}, ${$(2)}, ${$(3)}::uuid)
            ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
              incident_id = EXCLUDED.incident_id, response = NULL, created_at = now()
              WHERE api_idempotency.created_at <= now() - make_interval(secs => ${KEEP_SECONDS})
            RETURNING key`,
      params: [userId, key, hash, incidentId],
      lost: () => new KeyTaken(),
    };
  }

  /** Keys older than a day are deleted at most once a minute per process, off the request's path. */
  private sweepNowAndThen(): void {
    const now = this.clock.now().getTime();
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_EVERY_MS;
    this.db
      .query('DELETE FROM api_idempotency WHERE created_at <= now() - make_interval(secs => $1)', [
        KEEP_SECONDS,
      ])
      .then(
        () => undefined,
        (err: unknown) => this.logger.warn({ err: errorText(err) }, 'Sweeping old idempotency keys failed'),
      );
  }
}

/** JSON with object keys sorted, so one body gives one hash whatever order its fields were sent in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
