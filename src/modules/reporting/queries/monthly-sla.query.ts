import type { EntityManager } from 'typeorm';
import { reportIncidentsSql } from '../../incidents/incident-sql';
import { resolutionClockMonthsSql, slaClocksSql } from '../../sla/sla-report-sql';
import { REPORT_ZONE } from '../domain/report-period';
import { clockStateSql } from './clock-state';
import { setUpReportTransaction } from './report-ctes';

/** met and breached resolution clocks (aliased `c`) at $3, as two aggregate columns. */
const metBreached = `count(*) FILTER (WHERE ${clockStateSql('c', '$3')} = 'met') AS met,
      count(*) FILTER (WHERE ${clockStateSql('c', '$3')} = 'breached') AS breached`;

/**
 * Resolution clocks met and breached per month of reporting (Europe/London), for the console's 12-month chart,
 * counted from the clocks. Same parameters as slaReportSql ($1 start, $2 end, $3 as of, $4 trust id or null,
 * scope from $5).
 */
export function monthlySlaSql(scopeSql: string): string {
  return `SELECT to_char(i.reported_at AT TIME ZONE '${REPORT_ZONE}', 'YYYY-MM') AS month, ${metBreached}
    FROM (${reportIncidentsSql()}) i JOIN (${slaClocksSql()}) c ON c.incident_id = i.id AND c.target = 'resolution'
      -- A clock starts when its incident is reported: the months' clocks are one index range.
      AND c.started_at >= $1 AND c.started_at < $2
    WHERE i.reported_at >= $1 AND i.reported_at < $2 AND ($4::uuid IS NULL OR i.trust_id = $4::uuid) AND ${scopeSql}
    GROUP BY 1 ORDER BY 1`;
}

/**
 * The same figures as monthlySlaSql, with each ended month read from `report_month_figures` while it is still true,
 * and stored by this statement when it is not (so a chart of 12 months counts only the months that changed).
 *
 * A stored month holds every trust's met and breached (jsonb {trust id: [met, breached]}) with the key of the
 * month's resolution clocks it was counted from (resolutionClockMonthsSql, the SLA module's): a clock added,
 * reopened, re-measured or removed since changes the key, and the month is counted again. It is stored only once
 * every clock's state is one time no longer changes (settles_at by $3: stopped, paused, or past due), and used only
 * for an instant after that. The month not ended at $3 is always counted live.
 *
 * The reader's scope applies to every row: `rowScopeSql` on the per-trust rows (alias `r`, column trust_id: the
 * IncidentScope rule of a reader bound to a trust, or none), `scopeSql` on the incidents of the live months (alias
 * `i`); both with the scope's parameters from $5. Other parameters as monthlySlaSql.
 */
export function monthlySlaStoredSql(rowScopeSql: string, scopeSql: string): string {
  // The resolution clocks of the month row `m` with their incidents' trust_id, for a LATERAL: one index range per
  // month (OFFSET 0 keeps it so; joined with the months as a whole, the planner, which cannot know they are a
  // dozen, read every clock there is). `where` filters the incidents (alias `i`).
  const clocksOf = (m: string, where = 'true') => `SELECT i.trust_id, c.* FROM (${slaClocksSql()}) c
      JOIN (${reportIncidentsSql()}) i ON i.id = c.incident_id
        AND i.reported_at >= ${m}.month_start AND i.reported_at < ${m}.next_month
    WHERE c.target = 'resolution' AND c.started_at >= ${m}.month_start AND c.started_at < ${m}.next_month
      AND ${where}
    OFFSET 0`;
  return `WITH keys AS MATERIALIZED (${resolutionClockMonthsSql('$1', '$2', REPORT_ZONE)}),
hit AS MATERIALIZED (
  SELECT f.month, f.figures FROM report_month_figures f JOIN keys k ON k.month = f.month
  WHERE f.clocks_key = k.clocks_key AND f.settles_at <= $3
),
todo AS MATERIALIZED (
  SELECT k.* FROM keys k WHERE k.next_month <= $3 AND NOT EXISTS (SELECT 1 FROM hit WHERE hit.month = k.month)
),
counted AS MATERIALIZED (
  SELECT t.month, c.trust_id, ${metBreached} FROM todo t CROSS JOIN LATERAL (${clocksOf('t')}) c
  GROUP BY t.month, c.trust_id
),
store AS (
  INSERT INTO report_month_figures (month, clocks_key, settles_at, figures)
  SELECT t.month, t.clocks_key, t.settles_at, coalesce((SELECT jsonb_object_agg(n.trust_id, jsonb_build_array(n.met, n.breached))
      FROM counted n WHERE n.month = t.month), '{}')
  FROM todo t WHERE t.settles_at <= $3
  ON CONFLICT (month) DO UPDATE SET clocks_key = EXCLUDED.clocks_key, settles_at = EXCLUDED.settles_at,
    figures = EXCLUDED.figures, computed_at = now()
),
per_trust AS (
  SELECT h.month, x.key::uuid AS trust_id, (x.value->>0)::bigint AS met, (x.value->>1)::bigint AS breached
  FROM hit h CROSS JOIN LATERAL jsonb_each(h.figures) x
  UNION ALL SELECT month, trust_id, met, breached FROM counted
),
live AS (
  SELECT k.month, ${metBreached}
  FROM keys k CROSS JOIN LATERAL (${clocksOf('k', `($4::uuid IS NULL OR i.trust_id = $4::uuid) AND ${scopeSql}`)}) c
  WHERE k.next_month > $3
  GROUP BY k.month
)
SELECT to_char(month, 'YYYY-MM') AS month, sum(met) AS met, sum(breached) AS breached FROM (
  SELECT r.month, r.met, r.breached FROM per_trust r WHERE ($4::uuid IS NULL OR r.trust_id = $4::uuid) AND ${rowScopeSql}
  UNION ALL SELECT month, met, breached FROM live
) x GROUP BY 1 ORDER BY 1`;
}

/**
 * The months' figures: from the stored months when the reader's scope is a trust rule or none (`rowScope` given),
 * else (a scope that is not by trust) counted from the clocks.
 */
export async function runMonthlySla(
  em: EntityManager,
  scope: { sql: string; params: unknown[]; rowScope: string | null },
  period: { start: Date; end: Date; asOf: Date; trustId: string | null },
): Promise<{ month: string; met: number; breached: number }[]> {
  const sql =
    scope.rowScope === null ? monthlySlaSql(scope.sql) : monthlySlaStoredSql(scope.rowScope, scope.sql);
  return em.transaction(async (tx) => {
    // JIT off as for every report statement: the planner's estimates of the stored months' joins are far too high,
    // and with JIT on it spent a second compiling. No extra memory: the months are read by index ranges.
    await setUpReportTransaction(tx, false);
    const rows = await tx.query<{ month: string; met: string; breached: string }[]>(sql, [
      period.start,
      period.end,
      period.asOf,
      period.trustId,
      ...scope.params,
    ]);
    return rows.map((r) => ({ month: r.month, met: Number(r.met), breached: Number(r.breached) }));
  });
}
