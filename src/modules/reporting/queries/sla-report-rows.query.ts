import { clockStateSql } from './clock-state';
import { reportIncidentsSql } from '../../incidents/incident-sql';
import { slaClocksSql } from '../../sla/sla-report-sql';

/** The CSV's columns, in order (one row per incident reported in the period). */
export const CSV_COLUMNS = [
  'reference',
  'reported_at',
  'trust',
  'site_code',
  'site_name',
  'site_class',
  'service',
  'channel',
  'priority',
  'status',
  'response_target_minutes',
  'response_minutes',
  'response_state',
  'resolution_target_minutes',
  'resolution_minutes',
  'resolution_state',
] as const;

/**
 * One row per incident reported in the period, oldest first, for the streamed CSV. Minutes are the clocks'
 * business minutes as last computed (stopped clocks: at the stop). Same parameters as slaReportSql.
 */
export function slaReportRowsSql(scopeSql: string): string {
  const state = (c: string) => clockStateSql(c, '$3');
  return `SELECT i.reference, to_char(i.reported_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD"T"HH24:MI:SS') AS reported_at,
      i.trust_code AS trust, i.site_code, i.site_name, i.site_class, i.service_code AS service, i.channel, i.priority,
      i.status, rs.target_minutes AS response_target_minutes, round(rs.elapsed_ms / 60000.0, 1) AS response_minutes,
      ${state('rs')} AS response_state, rv.target_minutes AS resolution_target_minutes,
      round(rv.elapsed_ms / 60000.0, 1) AS resolution_minutes, ${state('rv')} AS resolution_state
    FROM (${reportIncidentsSql()}) i
      LEFT JOIN (${slaClocksSql()}) rs ON rs.incident_id = i.id AND rs.target = 'response'
      LEFT JOIN (${slaClocksSql()}) rv ON rv.incident_id = i.id AND rv.target = 'resolution'
    WHERE i.reported_at >= $1 AND i.reported_at < $2 AND ($4::uuid IS NULL OR i.trust_id = $4::uuid) AND ${scopeSql}
    ORDER BY i.reported_at, i.id`;
}
