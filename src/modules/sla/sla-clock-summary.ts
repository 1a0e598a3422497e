import { statusHistorySql } from '../incidents/timeline/status-history';
import { businessMinutesSql } from './sla-report-sql';

/**
 * Who held each clock, in business minutes, and each incident's reopen facts: computed in SQL over the status
 * history, the suppliers' holds and `sla_open_period`, and stored once an incident's clocks have all stopped
 * (`sla_clock_summary`, one row per incident), so a report over a year reads one row per incident instead of
 * measuring every incident's history again.
 *
 * A stored row is used only while it is still true: its `clocks_key` (settledKeySql) names each clock's last write
 * (incident_sla.updated_at, which every evaluation rewrites — and every status change evaluates) and the version
 * of the clock's calendar (which goes up with every calendar or bank-holiday override change). Anything else —
 * a clock still running, a reopen, a correction to a calendar — makes the key differ, and the report measures that
 * incident live and stores the new figures (upsertClockSummariesSql). The key is checked against the clocks the
 * report reads anyway, so a year's rows are read in bulk (by `reported_at`) and joined, never looked up one by
 * one. The suppliers' holds are taken as they were when the clocks stopped: an escalation's end written later with
 * an earlier time would not be seen.
 */

/** The columns of sla_clock_summary, in the order clockSummaryRowsSql yields them. */
const SUMMARY_COLUMNS = [
  'incident_id',
  'reported_at',
  'clocks_key',
  'ever_resolved',
  'reopened',
  'response_desk',
  'response_caller',
  'response_suppliers',
  'response_held_by',
  'resolution_desk',
  'resolution_caller',
  'resolution_suppliers',
  'resolution_held_by',
] as const;

/**
 * The clocks as reports read them: incident_sla's columns (slaClocksSql's and updated_at) with `calendar_version`,
 * the current version of the clock's calendar. A clock's started_at is its incident's reported_at (clockRecords
 * writes it so), so a period's clocks are read by the (started_at) index range of the period's incidents.
 */
export function reportClocksSql(): string {
  return `SELECT c.*, k.version AS calendar_version
    FROM incident_sla c LEFT JOIN sla_calendar k ON k.code = c.calendar_code`;
}

/**
 * The incidents (incident_id) whose resolution clock had started by `instant` and had not stopped before it (an
 * SQL expression), through the GiST index on the clock's span: those that may have been open then.
 */
export function resolutionRunningAtSql(instant: string): string {
  return `SELECT incident_id FROM incident_sla
    WHERE target = 'resolution' AND tstzrange(started_at, stopped_at, '[]') @> (${instant})::timestamptz`;
}

/**
 * The key of an incident whose response and resolution clocks (aliases `rs`, `rv`, reportClocksSql rows) have both
 * stopped by `asOf`; null while either runs (or stopped after `asOf`).
 */
export function settledKeySql(rs: string, rv: string, asOf: string): string {
  const one = (c: string) =>
    `extract(epoch FROM ${c}.updated_at)::text || '/' || ${c}.calendar_code || '@' || coalesce(${c}.calendar_version, 0)::text`;
  return `CASE WHEN ${rs}.stopped_at <= ${asOf} AND ${rv}.stopped_at <= ${asOf} THEN ${one(rs)} || ';' || ${one(rv)} END`;
}

/**
 * CTEs (to follow `WITH …,`) measuring who held each clock of the incidents in the CTE named `inc` (column `id`),
 * whose clocks are in the CTE named `clk` (slaClocksSql's columns), measured to `asOf` (an SQL expression; a
 * stopped clock is measured to its stop). `holdsSql` is the suppliers' holds (escalation's supplierHoldsSql:
 * incident_id, supplier_code, held_from, held_until). Defines:
 * - `segs` (incident_id, caller, still, ever_resolved, reopened): the caller's stretches (awaiting_caller), the
 *   stretches in a resolved, closed or cancelled status, and whether it was ever resolved / reopened;
 * - `holds` (incident_id, supplier_code, held) and `win` (each clock's window: whole, caller, still, any_supplier);
 * - `holder` (incident_id, target, holder, minutes): 'desk', 'caller' and 'supplier:<code>' for every clock;
 * - `held_by` (incident_id, target, held_by): who held the clock longest (ties: a supplier or the caller before
 *   the desk, then by name).
 *
 * Inside a clock's window the caller holds the stretches in `awaiting_caller` (the clock is paused there), nobody
 * holds the stretches in a resolved, closed or cancelled status (a reopened incident's clock stood still), each
 * supplier holds the rest of the time its escalation was open (overlapping escalations count for each supplier),
 * and the desk the rest.
 */
export function clockHolderCtes(o: { inc: string; clk: string; asOf: string; holdsSql: string }): string {
  const minutes = (ranges: string) => businessMinutesSql('w.calendar_code', ranges);
  return `
hist AS MATERIALIZED (
  SELECT i.id AS incident_id, h.ord, h.e->>'status' AS status, (h.e->>'at')::timestamptz AS at
  FROM ${o.inc} i CROSS JOIN LATERAL json_array_elements(${statusHistorySql('i.id')}) WITH ORDINALITY AS h(e, ord)
),
seg AS MATERIALIZED (
  SELECT incident_id, status, lag(status) OVER w AS prev_status, tstzrange(at, lead(at) OVER w, '[)') AS r
  FROM hist WINDOW w AS (PARTITION BY incident_id ORDER BY at, ord)
),
segs AS MATERIALIZED (
  SELECT incident_id,
    coalesce(range_agg(r) FILTER (WHERE status = 'awaiting_caller'), '{}'::tstzmultirange) AS caller,
    coalesce(range_agg(r) FILTER (WHERE status IN ('resolved', 'closed', 'cancelled')), '{}'::tstzmultirange) AS still,
    bool_or(status = 'resolved') AS ever_resolved,
    bool_or(prev_status = 'resolved' AND status NOT IN ('resolved', 'closed', 'cancelled')) AS reopened
  FROM seg GROUP BY incident_id
),
holds AS MATERIALIZED (
  SELECT h.incident_id, h.supplier_code,
    range_agg(tstzrange(h.held_from, greatest(h.held_from, coalesce(h.held_until, 'infinity')), '[)')) AS held
  FROM ${o.inc} i0 CROSS JOIN LATERAL (SELECT * FROM (${o.holdsSql}) h0 WHERE h0.incident_id = i0.id) h
  GROUP BY h.incident_id, h.supplier_code
),
win AS MATERIALIZED (
  SELECT c.incident_id, c.target, c.calendar_code,
    tstzmultirange(tstzrange(c.started_at, greatest(c.started_at, least(coalesce(c.stopped_at, ${o.asOf}), ${o.asOf})), '[)')) AS whole,
    coalesce(s.caller, '{}'::tstzmultirange) AS caller, coalesce(s.still, '{}'::tstzmultirange) AS still,
    coalesce(a.held, '{}'::tstzmultirange) AS any_supplier
  FROM ${o.clk} c LEFT JOIN segs s ON s.incident_id = c.incident_id
    LEFT JOIN (SELECT incident_id, range_agg(held) AS held FROM holds GROUP BY incident_id) a ON a.incident_id = c.incident_id
),
holder AS MATERIALIZED (
  SELECT w.incident_id, w.target, 'desk' AS holder, ${minutes('((w.whole - w.caller - w.still) - w.any_supplier)')} AS minutes FROM win w
  UNION ALL
  SELECT w.incident_id, w.target, 'caller', ${minutes('(w.whole * w.caller)')} FROM win w
  UNION ALL
  SELECT w.incident_id, w.target, 'supplier:' || hh.supplier_code, ${minutes('((w.whole - w.caller - w.still) * hh.held)')}
  FROM win w JOIN holds hh ON hh.incident_id = w.incident_id
),
held_by AS (
  SELECT incident_id, target, (array_agg(holder ORDER BY minutes DESC, holder <> 'desk', holder))[1] AS held_by
  FROM holder GROUP BY incident_id, target
)`;
}

/**
 * A SELECT of sla_clock_summary rows, after clockHolderCtes over the same `inc` and `clk`, for those of its
 * incidents whose clocks have both stopped by `asOf` (their figures no longer depend on it).
 */
export function clockSummaryRowsSql(o: { inc: string; clk: string; asOf: string }): string {
  const part = (target: string, holder: string) =>
    `sum(minutes) FILTER (WHERE target = '${target}' AND holder = '${holder}') AS ${target}_${holder}`;
  const suppliers = (target: string) =>
    `coalesce(jsonb_object_agg(substr(holder, 10), minutes) FILTER (WHERE target = '${target}' AND holder LIKE 'supplier:%'), '{}') AS ${target}_suppliers`;
  return `SELECT i.id, rv.started_at, ${settledKeySql('rs', 'rv', o.asOf)}, coalesce(s.ever_resolved, false),
      coalesce(s.reopened, false), h.response_desk, h.response_caller, coalesce(h.response_suppliers, '{}'), rb.held_by,
      h.resolution_desk, h.resolution_caller, coalesce(h.resolution_suppliers, '{}'), vb.held_by
    FROM ${o.inc} i JOIN ${o.clk} rs ON rs.incident_id = i.id AND rs.target = 'response'
      JOIN ${o.clk} rv ON rv.incident_id = i.id AND rv.target = 'resolution'
      LEFT JOIN segs s ON s.incident_id = i.id
      LEFT JOIN (SELECT incident_id, ${part('response', 'desk')}, ${part('response', 'caller')}, ${suppliers('response')},
          ${part('resolution', 'desk')}, ${part('resolution', 'caller')}, ${suppliers('resolution')}
        FROM holder GROUP BY incident_id) h ON h.incident_id = i.id
      LEFT JOIN held_by rb ON rb.incident_id = i.id AND rb.target = 'response'
      LEFT JOIN held_by vb ON vb.incident_id = i.id AND vb.target = 'resolution'
    WHERE ${settledKeySql('rs', 'rv', o.asOf)} IS NOT NULL`;
}

/** Writes `rowsSql` (clockSummaryRowsSql) into sla_clock_summary: a statement, or a data-modifying CTE's body. */
export function upsertClockSummariesSql(rowsSql: string): string {
  const columns = SUMMARY_COLUMNS.join(', ');
  const updates = SUMMARY_COLUMNS.filter((c) => c !== 'incident_id').map((c) => `${c} = EXCLUDED.${c}`);
  return `INSERT INTO sla_clock_summary (${columns}) SELECT * FROM (${rowsSql}) r ORDER BY 2, 1
    ON CONFLICT (incident_id) DO UPDATE SET ${updates.join(', ')}, updated_at = now()`;
}

/**
 * A LEFT JOIN of the stored summary (aliased `alias`) of the incident whose id is `incident`, reported in [`from`,
 * `to`), whose response and resolution clocks are the reportClocksSql rows `rs` and `rv`: the row only while it is
 * still true as of `asOf`. Read by the (reported_at) index range, so a year's rows are read in bulk and joined.
 * Columns: incident_id, ever_resolved, reopened, and per target (response_, resolution_): desk and caller minutes
 * (numeric), suppliers (jsonb {code: minutes}), held_by.
 */
export function storedClockSummaryJoinSql(o: {
  alias: string;
  incident: string;
  rs: string;
  rv: string;
  asOf: string;
  from: string;
  to: string;
}): string {
  const s = o.alias;
  return `LEFT JOIN sla_clock_summary ${s} ON ${s}.incident_id = ${o.incident} AND ${s}.reported_at >= ${o.from}
      AND ${s}.reported_at < ${o.to} AND ${s}.clocks_key = ${settledKeySql(o.rs, o.rv, o.asOf)}`;
}

/**
 * One statement that stores the summaries of every incident whose clocks have all stopped and whose stored row is
 * missing or no longer true, among those whose calendar years are written (sla_open_period_year at the calendar's
 * version; others wait for a report, which writes its years first). For the bench, which loads a million settled
 * incidents.
 * `where` filters `incident` aliased `x` (e.g. a range of numbers, to write in batches).
 */
export function refreshClockSummariesSql(holdsSql: string, where = 'true'): string {
  const asOf = `'infinity'::timestamptz`;
  return `WITH inc AS MATERIALIZED (
  SELECT x.id FROM incident x WHERE ${where}
    AND NOT EXISTS (SELECT 1 FROM (${reportClocksSql()}) c
      WHERE c.incident_id = x.id AND (c.stopped_at IS NULL OR EXISTS (
        SELECT 1 FROM generate_series(extract(year FROM c.started_at AT TIME ZONE 'UTC')::int,
                                      extract(year FROM c.stopped_at AT TIME ZONE 'UTC')::int) y(year)
        WHERE NOT EXISTS (SELECT 1 FROM sla_open_period_year w
          WHERE w.calendar_code = c.calendar_code AND w.year = y.year AND w.calendar_version = c.calendar_version))))
    AND NOT EXISTS (SELECT 1 FROM sla_clock_summary s, (${reportClocksSql()}) rs, (${reportClocksSql()}) rv
      WHERE s.incident_id = x.id AND rs.incident_id = x.id AND rs.target = 'response' AND rv.incident_id = x.id
        AND rv.target = 'resolution' AND s.clocks_key = ${settledKeySql('rs', 'rv', asOf)})
),
clk AS MATERIALIZED (SELECT c.* FROM inc JOIN (${reportClocksSql()}) c ON c.incident_id = inc.id),
${clockHolderCtes({ inc: 'inc', clk: 'clk', asOf, holdsSql })}
${upsertClockSummariesSql(clockSummaryRowsSql({ inc: 'inc', clk: 'clk', asOf }))}`;
}
