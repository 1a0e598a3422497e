/**
 * What reports read of the SLA engine's tables, as SQL fragments (the tables are this module's). Business time in
 * SQL comes from `sla_open_period`, kept true for the years a report covers by SlaOpenPeriods.ensureYears.
 */

/**
 * The clocks, one row per incident and target. Columns: incident_id uuid, target text ('response' |
 * 'resolution'), calendar_code text, target_minutes int, started_at, due_at, met_at, stopped_at, breached_at
 * (timestamptz), paused boolean, elapsed_ms bigint (business ms as of the last computation, or at the stop).
 */
export function slaClocksSql(): string {
  return `SELECT incident_id, target, calendar_code, target_minutes, started_at, due_at, met_at, stopped_at,
      breached_at, paused, elapsed_ms FROM incident_sla`;
}

/**
 * Business minutes (numeric, exact) of the calendar `calendar` (an SQL expression of its code) inside the
 * tstzmultirange expression `ranges`: the sum of the ranges' overlaps with the calendar's open periods.
 * Rows are at most a day long (SlaOpenPeriods cuts them at UTC midnight), which bounds the index range. The ranges
 * must be bounded (an unbounded range would reach past the years written).
 */
export function businessMinutesSql(calendar: string, ranges: string): string {
  return `(SELECT coalesce(sum(o.seconds), 0) / 60 FROM unnest(${ranges}) AS x(r)
      CROSS JOIN LATERAL (
        SELECT extract(epoch FROM least(upper(x.r), p.closes_at) - greatest(lower(x.r), p.opens_at)) AS seconds
        FROM sla_open_period p
        WHERE p.calendar_code = ${calendar} AND p.opens_at > lower(x.r) - interval '1 day' AND p.opens_at < upper(x.r)
          AND p.closes_at > lower(x.r)) o)`;
}

/**
 * The SLA configuration a report was computed under, as one text: every calendar's version (they go up with
 * calendar and bank-holiday override changes) and the newest policy version. Two equal texts mean the same terms.
 */
export function slaConfigVersionSql(): string {
  return `SELECT concat_ws(';',
      (SELECT string_agg(code || '@' || version, ',' ORDER BY code) FROM sla_calendar),
      'policies@' || coalesce((SELECT max(id)::text FROM sla_policy_version), '0')) AS config_version`;
}

/**
 * A SELECT of the months of `zone` (an IANA zone, a literal of our own) that [`from`, `to`) (SQL expressions) touches:
 * `month` (date, its first day), `month_start` and `next_month` (timestamptz: where it begins and ends).
 */
export function zoneMonthsSql(from: string, to: string, zone: string): string {
  return `SELECT d::date AS month, d AT TIME ZONE '${zone}' AS month_start,
      (d + interval '1 month') AT TIME ZONE '${zone}' AS next_month
    FROM generate_series(date_trunc('month', (${from})::timestamptz AT TIME ZONE '${zone}'),
      (${to})::timestamptz AT TIME ZONE '${zone}' - interval '1 microsecond', interval '1 month') d`;
}

/**
 * The resolution clocks started in [`from`, `to`) (SQL expressions), per month of `zone` (an IANA zone, a literal
 * of our own): `month` (date, its first day), `month_start` and `next_month` (timestamptz: where it begins and
 * ends), `clocks_key` (text) and `settles_at` (timestamptz). The key is the clocks' count and the sum of their
 * last writes (`updated_at`, which every write of a clock sets anew): any clock added, removed or rewritten since gives another key, whenever its
 * transaction commits. `settles_at` is when every clock of the month has a state that time alone no longer
 * changes, as long as nothing is written: each running clock not paused and not yet breached is breached at its
 * due time (-infinity when there is none). Read from the (started_at) INCLUDE index, without the table's rows.
 */
export function resolutionClockMonthsSql(from: string, to: string, zone: string): string {
  // Month by month (each one index range), not grouped by each clock's month: a year's 200,000 clocks took a third
  // of the time again to be assigned their months than to be read.
  return `SELECT m.month, m.month_start, m.next_month, a.clocks_key, a.settles_at
    FROM (${zoneMonthsSql(from, to, zone)}) m CROSS JOIN LATERAL (
      SELECT count(*) AS clocks,
        count(*)::text || '/' || coalesce(sum(extract(epoch FROM c.updated_at)), 0)::text AS clocks_key,
        coalesce(max(c.due_at) FILTER (WHERE c.met_at IS NULL AND c.stopped_at IS NULL AND c.breached_at IS NULL
          AND NOT c.paused), '-infinity') AS settles_at
      FROM incident_sla c
      WHERE c.target = 'resolution' AND c.started_at >= greatest(m.month_start, ${from})
        AND c.started_at < least(m.next_month, ${to})
    ) a
    WHERE a.clocks > 0`;
}

/**
 * A SELECT of one row about the clocks (both targets) started in [`from`, `to`) (SQL expressions): `clocks_key`
 * (text: per target the count and the sum of their last writes, which every write of a clock sets anew and every
 * re-evaluation rewrites, so any clock added, removed or rewritten gives another key).
 * Read from the two (started_at) INCLUDE indexes, without the table's rows.
 */
export function clockRangeKeySql(from: string, to: string): string {
  // Each write as whole microseconds: int8 sums are exact, and several times faster than numeric epochs.
  const target = (t: string) => `SELECT count(*) AS n,
        coalesce(sum((date_part('epoch', c.updated_at) * 1000000)::int8), 0) AS stamp
      FROM incident_sla c WHERE c.target = '${t}' AND c.started_at >= ${from} AND c.started_at < ${to}`;
  return `SELECT rs.n || '/' || rs.stamp || ';' || rv.n || '/' || rv.stamp AS clocks_key
    FROM (${target('response')}) rs, (${target('resolution')}) rv`;
}

/**
 * A SELECT of the incidents (incident_id) with a clock started in [`from`, `to`) still running at `asOf`: not
 * stopped (the index of running clocks), or stopped after it (the index of stops). Usually none, or a handful.
 */
export function runningClockIncidentsSql(from: string, to: string, asOf: string): string {
  return `SELECT incident_id FROM incident_sla WHERE stopped_at IS NULL AND started_at >= ${from} AND started_at < ${to}
    UNION SELECT incident_id FROM incident_sla
      WHERE stopped_at > ${asOf} AND started_at >= ${from} AND started_at < ${to}`;
}
