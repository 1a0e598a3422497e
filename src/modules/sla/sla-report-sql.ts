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
