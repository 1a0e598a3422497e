import type { EntityManager } from 'typeorm';
import { reportIncidentsSql } from '../../incidents/incident-sql';
import { slaClocksSql } from '../../sla/sla-report-sql';
import { clockStateSql } from './clock-state';

/**
 * Resolution clocks met and breached per month of reporting (Europe/London), for the console's 12-month chart.
 * Same parameters as slaReportSql ($1 start, $2 end, $3 as of, $4 trust id or null, scope from $5).
 */
export function monthlySlaSql(scopeSql: string): string {
  return `SELECT to_char(i.reported_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS month,
      count(*) FILTER (WHERE ${clockStateSql('c', '$3')} = 'met') AS met,
      count(*) FILTER (WHERE ${clockStateSql('c', '$3')} = 'breached') AS breached
    FROM (${reportIncidentsSql()}) i JOIN (${slaClocksSql()}) c ON c.incident_id = i.id AND c.target = 'resolution'
      -- A clock starts when its incident is reported: the months' clocks are one index range.
      AND c.started_at >= $1 AND c.started_at < $2
    WHERE i.reported_at >= $1 AND i.reported_at < $2 AND ($4::uuid IS NULL OR i.trust_id = $4::uuid) AND ${scopeSql}
    GROUP BY 1 ORDER BY 1`;
}

export async function runMonthlySla(
  em: EntityManager,
  scope: { sql: string; params: unknown[] },
  period: { start: Date; end: Date; asOf: Date; trustId: string | null },
): Promise<{ month: string; met: number; breached: number }[]> {
  const rows = await em.query<{ month: string; met: string; breached: string }[]>(monthlySlaSql(scope.sql), [
    period.start,
    period.end,
    period.asOf,
    period.trustId,
    ...scope.params,
  ]);
  return rows.map((r) => ({ month: r.month, met: Number(r.met), breached: Number(r.breached) }));
}
