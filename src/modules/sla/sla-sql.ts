import type { EntityManager } from 'typeorm';
import type { IncidentFacts } from '../incidents/facts/incident-facts';
import type { SlaTarget, TargetClock } from './domain/incident-sla';
import type { StatusChange } from './domain/pauses-from-history';
import { appendEventsSql, DESK_AUTHOR } from '../incidents/timeline/append-event';
import { parseStatusHistory, statusHistorySql } from '../incidents/timeline/status-history';
import type { SlaTerms } from './sla-policies.service';

/**
 * The SLA engine's SQL, one round trip per step: every check runs these, so each is a single statement.
 */

/**
 * The incidents whose check is due first (up to `limit`): candidates for lockFirstFreeIncident, which skips those
 * another transaction holds, so several processes share the due work without waiting on each other.
 */
export async function dueIncidentIds(em: EntityManager, now: Date, limit: number): Promise<string[]> {
  const rows = await em.query<{ incident_id: string }[]>(
    'SELECT incident_id FROM incident_sla WHERE next_check_at <= $1 ORDER BY next_check_at LIMIT $2',
    [now, limit],
  );
  // Both of an incident's clocks may be due: each incident once, in the order it first fell due.
  return [...new Set(rows.map((r) => r.incident_id))];
}

/** One stored clock, as the engine reads it (with its calendar's current version). */
export interface StoredClock {
  target: SlaTarget;
  policyVersionId: string | null;
  calendarCode: string;
  calendarVersion: number | null;
  targetMinutes: number;
  dueAt: Date;
  metAt: Date | null;
  nextCheckAt: Date | null;
}

const date = (v: string | null): Date | null => (v === null ? null : new Date(v));

/**
 * The stored clocks and the status history (every status entered, at the desk clock's instant when recorded,
 * `data.at`, else the row's time), in one round trip.
 */
export async function loadClocksAndHistory(
  em: EntityManager,
  incidentId: string,
): Promise<{ stored: StoredClock[]; history: StatusChange[] }> {
  type Raw = {
    target: SlaTarget;
    policyVersionId: string | number | null;
    calendarCode: string;
    calendarVersion: number | null;
    targetMinutes: number;
    dueAt: string;
    metAt: string | null;
    nextCheckAt: string | null;
  };
  const [row] = await em.query<{ clocks: Raw[]; history: { status: string | null; at: string }[] }[]>(
    `SELECT
       (SELECT coalesce(json_agg(json_build_object('target', s.target, 'policyVersionId', s.policy_version_id, 'calendarCode', s.calendar_code,
          'calendarVersion', c.version, 'targetMinutes', s.target_minutes, 'dueAt', s.due_at, 'metAt', s.met_at, 'nextCheckAt', s.next_check_at)), '[]')
        FROM incident_sla s LEFT JOIN sla_calendar c ON c.code = s.calendar_code WHERE s.incident_id = $1) AS clocks,
       ${statusHistorySql('$1')} AS history`,
    [incidentId],
  );
  return {
    stored: row.clocks.map((r) => ({
      target: r.target,
      policyVersionId: r.policyVersionId === null ? null : String(r.policyVersionId),
      calendarCode: r.calendarCode,
      calendarVersion: r.calendarVersion,
      targetMinutes: r.targetMinutes,
      dueAt: new Date(r.dueAt),
      metAt: date(r.metAt),
      nextCheckAt: date(r.nextCheckAt),
    })),
    history: parseStatusHistory(row.history),
  };
}

/** incident_sla's computed columns: what saveClocks and the create statement write, in clockRecords' shape. */
const CLOCK_COLUMNS = [
  'incident_id',
  'target',
  'policy_version_id',
  'calendar_code',
  'target_minutes',
  'started_at',
  'due_at',
  'met_at',
  'stopped_at',
  'breached_at',
  'paused',
  'elapsed_ms',
  'computed_at',
  'next_check_at',
] as const;

export type ClockRecord = Record<(typeof CLOCK_COLUMNS)[number], string | number | boolean | null>;

/**
 * The incident_sla rows of computed clocks, keyed by column, to pass as one jsonb parameter. `nextCheckAt`
 * overrides a clock's next check (the create path sets it to now when a level is already reached).
 */
export function clockRecords(
  incident: Pick<IncidentFacts, 'id' | 'reportedAt'>,
  terms: SlaTerms,
  clocks: readonly TargetClock[],
  now: Date,
  nextCheckAt: (clock: TargetClock) => Date | null = (c) => c.state.nextCheckAt,
): ClockRecord[] {
  return clocks.map((c) => {
    const s = c.state;
    return {
      incident_id: incident.id,
      target: c.target,
      policy_version_id: terms.policyVersionId,
      calendar_code: c.calendarCode,
      target_minutes: c.targetMinutes,
      started_at: incident.reportedAt.toISOString(),
      due_at: s.dueAt.toISOString(),
      met_at: s.metAt?.toISOString() ?? null,
      stopped_at: s.stoppedAt?.toISOString() ?? null,
      breached_at: s.breached ? s.dueAt.toISOString() : null,
      paused: s.paused,
      elapsed_ms: Math.round(s.elapsedMinutes * 60_000),
      computed_at: now.toISOString(),
      next_check_at: nextCheckAt(c)?.toISOString() ?? null,
    };
  });
}

/** An INSERT of clockRecords given as the jsonb parameter `param` (e.g. `$3`), only `where` that holds: a statement, or a CTE's body. */
export function insertClocksSql(param: string, where = ''): string {
  const columns = CLOCK_COLUMNS.join(', ');
  return `INSERT INTO incident_sla (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(NULL::incident_sla, ${param}::jsonb)${where ? ` WHERE ${where}` : ''}`;
}

/** Upserts both clocks in one statement. */
export async function saveClocks(
  em: EntityManager,
  incident: IncidentFacts,
  terms: SlaTerms,
  clocks: readonly TargetClock[],
  now: Date,
): Promise<void> {
  const updates = CLOCK_COLUMNS.filter((c) => c !== 'incident_id' && c !== 'target').map(
    (c) => `${c} = EXCLUDED.${c}`,
  );
  await em.query(
    `${insertClocksSql('$1')}
     ON CONFLICT (incident_id, target) DO UPDATE SET ${updates.join(', ')}, updated_at = now()`,
    [JSON.stringify(clockRecords(incident, terms, clocks, now))],
  );
}

/** A level this transaction claimed and must announce. */
export interface FiredLevel {
  target: SlaTarget;
  level: number;
  /** When the level was reached. */
  reachedAt: Date;
  /** The target's due time. */
  dueAt: Date;
}

/**
 * Claims every level reached by a clock still running (or paused), and writes a timeline entry for each level it
 * won, in one statement: the sla_event rows inserted here are this transaction's to announce; a level someone
 * already claimed is skipped by ON CONFLICT (its timeline entry with it). A stopped clock announces nothing (a
 * breach found only after resolution is on record in incident_sla.breached_at).
 */
export async function claimLevels(
  em: EntityManager,
  incidentId: string,
  clocks: readonly TargetClock[],
  now: Date,
): Promise<FiredLevel[]> {
  const candidates = clocks
    .filter((c) => c.state.stoppedAt === null)
    .flatMap((c) => c.reached.map((r) => ({ clock: c, ...r })));
  if (candidates.length === 0) return [];
  const rows = await em.query<{ target: SlaTarget; threshold: string }[]>(
    `WITH won AS (
       INSERT INTO sla_event (incident_id, target, threshold, due_at, fired_at)
       SELECT $1, t, l, d, $5 FROM unnest($2::varchar[], $3::numeric[], $4::timestamptz[]) AS x(t, l, d)
       ON CONFLICT DO NOTHING RETURNING target, threshold, due_at
     ), timeline AS (
       ${appendEventsSql(`SELECT $1::uuid, 'system', CASE WHEN won.threshold >= 1 THEN 'sla_breached' ELSE 'sla_warning' END,
         NULL, NULL::uuid, NULL::uuid, '${DESK_AUTHOR.name}', jsonb_build_object('target', won.target, 'level', round(won.threshold * 100)::int, 'dueAt', due.at,
           'reachedAt', to_char(won.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
       FROM won JOIN unnest($6::varchar[], $7::text[]) AS due(target, at) ON due.target = won.target
       ORDER BY won.target, won.threshold`)}
     )
     SELECT target, threshold FROM won`,
    [
      incidentId,
      candidates.map((c) => c.clock.target),
      candidates.map((c) => c.level),
      candidates.map((c) => c.at.toISOString()),
      now,
      clocks.map((c) => c.target),
      clocks.map((c) => c.state.dueAt.toISOString()),
    ],
  );
  // numeric(5,4): compare at that scale.
  const won = new Set(rows.map((r) => `${r.target}:${Number(r.threshold).toFixed(4)}`));
  return candidates
    .filter((c) => won.has(`${c.clock.target}:${c.level.toFixed(4)}`))
    .map((c) => ({ target: c.clock.target, level: c.level, reachedAt: c.at, dueAt: c.clock.state.dueAt }));
}
