import type { EntityManager } from 'typeorm';
import { supplierHoldsSql } from '../../escalation/escalation-sql';
import { reportIncidentsSql } from '../../incidents/incident-sql';
import { businessMinutesSql } from '../../sla/sla-report-sql';
import { clockHolderCtes, reportClocksSql, storedClockSummaryJoinSql } from '../../sla/sla-clock-summary';
import { clockStateSql } from './clock-state';

/**
 * The CTEs (after `WITH`) the SLA report and its paged breaches share: the period's incidents (`inc`), one row per
 * incident with both clocks and its stored figures (`per`), the live measure of the incidents without stored
 * figures (clockHolderCtes over `live` and `live_clk`) and every breached clock (`breached`: incident_id, target,
 * target_minutes, used, held_by).
 *
 * Parameters: $1 period start, $2 period end (exclusive), $3 the instant the report is as of (running clocks are
 * measured to it), $4 a trust id or null (all trusts), then the caller's IncidentScope parameters from $5.
 *
 * A breach's minutes over: a met clock's elapsed business time as the SLA engine stored it, a running clock's
 * measured to $3 here.
 */
export function reportCtes(scopeSql: string): string {
  const minutes = (ranges: string) => businessMinutesSql('w.calendar_code', ranges);
  return `
inc AS MATERIALIZED (
  SELECT i.* FROM (${reportIncidentsSql()}) i
  WHERE i.reported_at >= $1 AND i.reported_at < $2 AND ($4::uuid IS NULL OR i.trust_id = $4::uuid) AND ${scopeSql}
),
per AS MATERIALIZED (
  -- A clock starts when its incident is reported (reportClocksSql): the period's clocks are one index range, joined
  -- in bulk with the period's stored figures.
  SELECT inc.id, inc.priority, inc.site_class,
    ${clockStateSql('rs', '$3')} AS resp_state, rs.target_minutes AS resp_target, rs.met_at AS resp_met_at,
    CASE WHEN rs.met_at IS NOT NULL THEN rs.elapsed_ms / 60000.0 END AS resp_min,
    ${clockStateSql('rv', '$3')} AS res_state, rv.target_minutes AS res_target, rv.met_at AS res_met_at,
    CASE WHEN rv.met_at IS NOT NULL THEN rv.elapsed_ms / 60000.0 END AS res_min,
    s.incident_id IS NOT NULL AS stored, s.ever_resolved, s.reopened, s.response_held_by, s.resolution_held_by,
    s.resolution_desk, s.resolution_caller, s.resolution_suppliers
  FROM inc
    LEFT JOIN (${reportClocksSql()}) rs ON rs.incident_id = inc.id AND rs.target = 'response'
      AND rs.started_at >= $1 AND rs.started_at < $2
    LEFT JOIN (${reportClocksSql()}) rv ON rv.incident_id = inc.id AND rv.target = 'resolution'
      AND rv.started_at >= $1 AND rv.started_at < $2
    ${storedClockSummaryJoinSql({ alias: 's', incident: 'inc.id', rs: 'rs', rv: 'rv', asOf: '$3', from: '$1', to: '$2' })}
),
live AS MATERIALIZED (SELECT id FROM per WHERE NOT stored),
live_clk AS MATERIALIZED (SELECT c.* FROM live JOIN (${reportClocksSql()}) c ON c.incident_id = live.id),
${clockHolderCtes({ inc: 'live', clk: 'live_clk', asOf: '$3', holdsSql: supplierHoldsSql() })},
breached AS MATERIALIZED (
  SELECT p.id AS incident_id, b.target, b.target_minutes,
    CASE WHEN b.met_at IS NOT NULL THEN b.minutes ELSE ${minutes('(w.whole - w.caller - w.still)')} END AS used,
    coalesce(hb.held_by, b.stored_held_by) AS held_by
  FROM per p CROSS JOIN LATERAL (VALUES
      ('response', p.resp_state, p.resp_target, p.resp_met_at, p.resp_min, p.response_held_by),
      ('resolution', p.res_state, p.res_target, p.res_met_at, p.res_min, p.resolution_held_by)
    ) AS b(target, state, target_minutes, met_at, minutes, stored_held_by)
    LEFT JOIN win w ON w.incident_id = p.id AND w.target = b.target
    LEFT JOIN held_by hb ON hb.incident_id = p.id AND hb.target = b.target
  WHERE b.state = 'breached'
)`;
}

/** Up to this many rows (offset + limit), a page of breaches looks its incidents up one by one (breachListSql). */
export const BREACH_LOOK_UP_ROWS = 1_000;

/**
 * A json_agg (one JSON array) of the breaches after reportCtes, worst first (most minutes over; ties by reference,
 * then target), from row `offset` on, at most `limit` of them (SQL expressions: literals or parameters). Only the
 * breaches at least as far over as the (offset + limit)-th are joined to their incidents and sorted: a year's
 * hundreds of thousands are ranked by one number first. Near the top of the list (up to BREACH_LOOK_UP_ROWS rows:
 * the report's own hundred) those few are looked up one by one (OFFSET 0 keeps the planner from sorting the year's
 * `inc` to merge it with a hundred rows: about 100 ms of a yearly report); a `deep` page joins them with `inc` in
 * bulk, as a look-up for every breach before it would cost more than that sort. The breaches come from `inc`, so
 * the reader's scope is already applied either way.
 */
export function breachListSql(offset: string, limit: string, deep = false): string {
  const over = 'b.used - b.target_minutes';
  const incident = deep
    ? 'JOIN inc ON inc.id = b.incident_id'
    : `CROSS JOIN LATERAL (SELECT * FROM (${reportIncidentsSql()}) i WHERE i.id = b.incident_id OFFSET 0) inc`;
  return `(SELECT coalesce(json_agg(x ORDER BY x."minutesOver" DESC, x.reference, x.target), '[]') FROM (
      SELECT inc.reference, inc.site_code AS "siteCode", inc.site_name AS site, inc.priority, b.target,
        b.target_minutes AS "targetMinutes", ${over} AS "minutesOver", b.held_by AS "heldBy"
      FROM breached b ${incident}
      WHERE coalesce(${over} >= (SELECT ${over} FROM breached b ORDER BY 1 DESC NULLS LAST
        OFFSET (${offset}) + (${limit}) - 1 LIMIT 1), true)
      ORDER BY ${over} DESC, inc.reference, b.target OFFSET ${offset} LIMIT ${limit}) x)`;
}

/** Periods longer than this many days are read in bulk (see isLongPeriod). */
export const LONG_PERIOD_DAYS = 62;

/**
 * Whether a report's period is long (a quarter, a year): the escalations of its incidents and their contract clocks
 * are then joined in bulk rather than looked up row by row, and its transaction gets more memory
 * (setUpReportTransaction).
 */
export function isLongPeriod(period: { start: Date; end: Date }): boolean {
  return period.end.getTime() - period.start.getTime() > LONG_PERIOD_DAYS * 86_400_000;
}

/**
 * The settings of a report statement's transaction (run first in it). JIT off: one statement of many small parts,
 * which JIT spent seconds compiling for milliseconds of work. For a long period, work_mem 32 MB: a year's 200,000
 * incidents are hashed and sorted several times over, and at the default 4 MB each of those spilled to disk (7 %
 * of a yearly report's time on this machine). Not for a month: with that much memory the planner hashed a whole
 * table (the escalations, 60 ms) where it looked up a month's few hundred rows by index (a month's report went
 * from 103 to 160 ms). extra_float_digits 3 (PostgreSQL 12's default is 1, the same): float8 values as text
 * read back as the same double, also on a server configured otherwise (stored months keep minutes so). The
 * settings hold for this transaction only.
 */
export async function setUpReportTransaction(tx: EntityManager, long: boolean): Promise<void> {
  const settings = ['SET LOCAL jit = off', 'SET LOCAL extra_float_digits = 3'];
  if (long) settings.push("SET LOCAL work_mem = '32MB'");
  await tx.query(settings.join('; '));
}
