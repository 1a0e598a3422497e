import type { EntityManager } from 'typeorm';
import { supplierClocksSql, supplierHoldsSql } from '../../escalation/escalation-sql';
import { openIncidentIdsSql, reportIncidentsSql } from '../../incidents/incident-sql';
import { statusHistorySql } from '../../incidents/timeline/status-history';
import type { ReportAggregates } from '../domain/sla-report';
import {
  clockSummaryRowsSql,
  resolutionRunningAtSql,
  upsertClockSummariesSql,
} from '../../sla/sla-clock-summary';
import { breachListSql, isLongPeriod, reportCtes, setUpReportTransaction } from './report-ctes';

/**
 * The breaches a report lists (worst first); `breachesTotal` counts them all, and GET /api/reports/sla/breaches
 * pages through the whole list (a year's can be hundreds of thousands: not for one JSON answer).
 */
export const BREACHES_SHOWN = 100;

/**
 * A join of the rows of `sql` (aliased `alias`) whose `column` equals `outer` (an SQL expression of the rows before
 * it): for a short period read row by row through the column's index (OFFSET 0 keeps the planner from hashing the
 * whole table for a month's few hundred escalations), for a long one joined in bulk (a year's 200,000 index
 * look-ups took most of a second).
 */
const joinRows = (
  sql: string,
  alias: string,
  on: { column: string; outer: string },
  long: boolean,
): string =>
  long
    ? `JOIN (${sql}) ${alias} ON ${alias}.${on.column} = ${on.outer}`
    : `CROSS JOIN LATERAL (SELECT * FROM (${sql}) r WHERE r.${on.column} = ${on.outer} OFFSET 0) ${alias}`;

/** The sites a report lists (most incidents first). */
export const TOP_SITES = 10;

/**
 * The CTE `escalated` (to follow `WITH …,`): the escalations of the incidents in the CTE named `inc` (columns id,
 * priority), read once for both supplier figures (supplierFiguresJson).
 */
function escalatedCte(inc: string, long: boolean): string {
  return `escalated AS MATERIALIZED (
  SELECT h.escalation_id, h.supplier_code, inc.priority
  FROM ${inc} inc ${joinRows(supplierHoldsSql(), 'h', { column: 'incident_id', outer: 'inc.id' }, long)}
)`;
}

/** The report's two supplier entries (supplierEscalations, supplierClocks) of its json_build_object, over `escalated`. */
export function supplierFiguresJson(long: boolean): string {
  return `'supplierEscalations', (SELECT coalesce(json_agg(x ORDER BY x.supplier, x.priority), '[]') FROM (
      SELECT supplier_code AS supplier, priority, count(*) AS escalations FROM escalated GROUP BY 1, 2) x),
  'supplierClocks', (SELECT coalesce(json_agg(x ORDER BY x.supplier, x.priority, x.target), '[]') FROM (
      SELECT e.supplier_code AS supplier, k.priority, k.target,
        count(*) FILTER (WHERE k.met_at IS NOT NULL AND NOT coalesce(k.breached, false)) AS met,
        count(*) FILTER (WHERE coalesce(k.breached, false)) AS breached
      FROM escalated e ${joinRows(supplierClocksSql(), 'k', { column: 'escalation_id', outer: 'e.escalation_id' }, long)}
      GROUP BY 1, 2, 3) x)`;
}

/**
 * The CTE `backlog` (age of each incident open at the period's end, or at $3 when the period has not ended yet:
 * incidents reported by then whose status then was not resolved, closed or cancelled, aged by elapsed time).
 * Parameters as reportCtes.
 */
export function backlogCte(scopeSql: string): string {
  return `backlog_candidates AS (
  -- Open at the end means: still open now (its status), or its resolution clock ran across the end.
  SELECT id FROM (${openIncidentIdsSql()}) o
  UNION
  ${resolutionRunningAtSql('least($2, $3)')}
),
backlog AS (
  SELECT least($2, $3) - i.reported_at AS age
  FROM backlog_candidates b JOIN (${reportIncidentsSql()}) i ON i.id = b.id
  WHERE i.reported_at < least($2, $3) AND ($4::uuid IS NULL OR i.trust_id = $4::uuid) AND ${scopeSql}
    AND coalesce((SELECT h->>'status' FROM json_array_elements(${statusHistorySql('i.id')}) h
                  WHERE (h->>'at')::timestamptz < least($2, $3) ORDER BY (h->>'at')::timestamptz DESC LIMIT 1), 'new')
        NOT IN ('resolved', 'closed', 'cancelled')
)`;
}

/** The backlog's count and age buckets, over backlogCte. */
export const BACKLOG_JSON = `(SELECT json_build_object('open', count(*),
      'd0_1', count(*) FILTER (WHERE age < interval '1 day'),
      'd1_3', count(*) FILTER (WHERE age >= interval '1 day' AND age < interval '3 days'),
      'd3_7', count(*) FILTER (WHERE age >= interval '3 days' AND age < interval '7 days'),
      'd7_30', count(*) FILTER (WHERE age >= interval '7 days' AND age < interval '30 days'),
      'd30', count(*) FILTER (WHERE age >= interval '30 days')) FROM backlog)`;

/**
 * The SLA report in one statement: every figure is an aggregate over the period's incidents (never the incidents
 * themselves), so a month or a year costs one round trip whatever its size. Parameters as reportCtes.
 *
 * Who held the clock (clockHolderCtes, the SLA module's): an incident whose clocks have all stopped has its
 * holder split and reopen facts stored (sla_clock_summary) and read from there while they are still true; every
 * other incident is measured here, and those of them now settled are stored by this statement (store_settled) for
 * the next report. Either way the figures are the same SQL's.
 *
 * The backlog is taken at the period's end (backlogCte).
 *
 * With `partial` (SQL expressions of a month's first day and the key of its inputs) the statement answers nothing
 * and stores the figures as report_month_partial's row of that month and the trust $4, with what months add up
 * from: each group's count and sum of minutes and its minutes in order (`resp_n`, `resp_sum`, `resp_mins`: a
 * float8[] literal, read back without parsing JSON numbers; the same `res_`), and every site in topSites; without
 * the backlog and the supplier figures (null), which a report of months measures for its own period
 * (month-partials.query.ts).
 */
export function slaReportSql(
  scopeSql: string,
  long = false,
  partial?: { month: string; key: string },
): string {
  const storedPart = (holder: string) =>
    `SELECT '${holder}' AS holder, sum(resolution_${holder}) AS minutes FROM per
     WHERE stored AND resolution_${holder} IS NOT NULL HAVING count(resolution_${holder}) > 0`;
  return `
WITH ${reportCtes(scopeSql)},
store_settled AS (${upsertClockSummariesSql(clockSummaryRowsSql({ inc: 'live', clk: 'live_clk', asOf: '$3' }))}),
holders AS (
  SELECT holder, sum(minutes) AS minutes FROM (
    SELECT holder, minutes FROM holder WHERE target = 'resolution'
    UNION ALL ${storedPart('desk')}
    UNION ALL ${storedPart('caller')}
    UNION ALL SELECT 'supplier:' || x.key, x.value::numeric FROM per p, jsonb_each(p.resolution_suppliers) x
      WHERE p.stored AND p.resolution_suppliers <> '{}'
  ) h GROUP BY holder
),
grp AS (
  SELECT CASE WHEN GROUPING(priority) = 0 THEN 'priority' ELSE 'siteClass' END AS dim,
    coalesce(priority, site_class) AS key, count(*) AS total,
    count(*) FILTER (WHERE resp_state = 'met') AS resp_met, count(*) FILTER (WHERE resp_state = 'breached') AS resp_breached,
    count(*) FILTER (WHERE resp_state = 'open') AS resp_open,
    count(*) FILTER (WHERE res_state = 'met') AS res_met, count(*) FILTER (WHERE res_state = 'breached') AS res_breached,
    count(*) FILTER (WHERE res_state = 'open') AS res_open,
    avg(resp_min) AS resp_mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY resp_min) AS resp_median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY resp_min) AS resp_p90,
    avg(res_min) AS res_mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY res_min) AS res_median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY res_min) AS res_p90${
      partial
        ? `,
    count(resp_min) AS resp_n, sum(resp_min) AS resp_sum,
    coalesce(array_agg(resp_min::float8 ORDER BY resp_min) FILTER (WHERE resp_min IS NOT NULL), '{}')::text AS resp_mins,
    count(res_min) AS res_n, sum(res_min) AS res_sum,
    coalesce(array_agg(res_min::float8 ORDER BY res_min) FILTER (WHERE res_min IS NOT NULL), '{}')::text AS res_mins`
        : ''
    }
  FROM per GROUP BY GROUPING SETS ((priority), (site_class))
)${partial ? '' : `,\n${escalatedCte('inc', long)},\n${backlogCte(scopeSql)}`}
${
  partial
    ? `INSERT INTO report_month_partial (month, trust_id, month_key, aggregates)
SELECT ${partial.month}::date, $4::uuid, ${partial.key}::text, `
    : 'SELECT '
}json_build_object(
  'total', (SELECT count(*) FROM inc),
  'groups', (SELECT coalesce(json_agg(g), '[]') FROM grp g),
  'byChannel', (SELECT coalesce(json_object_agg(channel, n), '{}') FROM (SELECT channel, count(*) AS n FROM inc GROUP BY channel) x),
  'byService', (SELECT coalesce(json_object_agg(service_code, n), '{}') FROM (SELECT service_code, count(*) AS n FROM inc GROUP BY service_code) x),
  'topSites', (SELECT coalesce(json_agg(x), '[]') FROM (
      SELECT site_code AS code, site_name AS name, count(*) AS incidents FROM inc
      GROUP BY site_code, site_name ORDER BY count(*) DESC, site_code LIMIT ${partial ? 'ALL' : TOP_SITES}) x),
  'backlog', ${partial ? 'null' : BACKLOG_JSON},
  'holders', (SELECT coalesce(json_agg(x ORDER BY x.holder), '[]') FROM holders x),
  'breaches', ${breachListSql('0', String(BREACHES_SHOWN))},
  'breachesTotal', (SELECT count(*) FROM breached),
  'reopen', (SELECT json_build_object('resolved', count(*) FILTER (WHERE ever_resolved), 'reopened', count(*) FILTER (WHERE reopened))
      FROM (SELECT ever_resolved, reopened FROM segs UNION ALL SELECT ever_resolved, reopened FROM per WHERE stored) x),
  ${partial ? `'supplierEscalations', null, 'supplierClocks', null` : supplierFiguresJson(long)}
)${
    partial
      ? `::jsonb ON CONFLICT (month, trust_id) DO UPDATE SET month_key = EXCLUDED.month_key,
  aggregates = EXCLUDED.aggregates, computed_at = now()`
      : ' AS report'
  }`;
}

export async function runSlaReport(
  em: EntityManager,
  scope: { sql: string; params: unknown[] },
  period: { start: Date; end: Date; asOf: Date; trustId: string | null },
): Promise<ReportAggregates> {
  return em.transaction(async (tx) => {
    const long = isLongPeriod(period);
    await setUpReportTransaction(tx, long);
    const [row] = await tx.query<{ report: ReportAggregates }[]>(slaReportSql(scope.sql, long), [
      period.start,
      period.end,
      period.asOf,
      period.trustId,
      ...scope.params,
    ]);
    return row.report;
  });
}
