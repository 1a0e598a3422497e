/**
 * A clock's state for reports, from its slaClocksSql row aliased `c`, measured at `asOf` (an SQL expression):
 * 'met' (stopped by being met, within the target), 'breached' (met late, or running past its due time),
 * 'stopped' (ended unmet: cancelled) or 'open' (running or paused, not yet due).
 */
export function clockStateSql(c: string, asOf: string): string {
  return `CASE
      WHEN ${c}.met_at IS NOT NULL THEN CASE WHEN ${c}.elapsed_ms <= ${c}.target_minutes::bigint * 60000 THEN 'met' ELSE 'breached' END
      WHEN ${c}.stopped_at IS NOT NULL THEN 'stopped'
      WHEN ${c}.breached_at IS NOT NULL OR (NOT ${c}.paused AND ${c}.due_at <= ${asOf}) THEN 'breached'
      ELSE 'open' END`;
}
