import type { EntityManager } from 'typeorm';
import { incidentRangeKeySql, reportIncidentsSql } from '../../incidents/incident-sql';
import { clockRangeKeySql, slaConfigVersionSql } from '../../sla/sla-report-sql';
import { REPORT_ZONE } from '../domain/report-period';
import type { ReportAggregates } from '../domain/sla-report';
import { isLongPeriod, setUpReportTransaction } from './report-ctes';
import {
  BACKLOG_JSON,
  BREACHES_SHOWN,
  TOP_SITES,
  backlogCte,
  escalatedCte,
  slaReportSql,
  supplierFiguresJson,
} from './sla-report.query';

/**
 * A report of whole, settled months added up from each month's stored figures per trust (report_month_partial),
 * so a year reads a hundred rows instead of measuring 200,000 incidents again.
 *
 * A month's row holds what its figures add up from (slaReportSql with `partial`): counts, sums of minutes, each
 * group's minutes in order (medians and p90s do not add up; they are taken again over all the months' minutes),
 * every site's count, its worst BREACHES_SHOWN breaches (the period's worst are among the months' worst) and the
 * holders' minutes. It is used while its key is the month's key now (monthKeysSql): the month's clocks (any clock
 * added, removed, re-evaluated: every status change and correction re-evaluates), its incidents (any edit), the
 * sites and services (names in the lists), and the SLA configuration (every calendar's version, the policies').
 *
 * Only settled months are added up this way: every clock of the month stopped, so no figure of it moves with
 * time. A period with a month still running is measured whole by the one statement (runSlaReport). What is not
 * a month's to store is measured at the period's end as in the one statement: the backlog (an instant, not a sum)
 * and the supplier figures (an escalation's contract clocks can still change after its incident's clocks stopped;
 * they are read from the escalations alone, without the clocks' work).
 */

/** Goes up when the stored figures' shape changes: rows of another shape are then computed again. */
const PARTIAL_FORMAT = 1;

interface MonthKey {
  month: string;
  month_start: Date;
  next_month: Date;
  month_key: string;
  settled: boolean;
  trusts: string[];
}

/**
 * Every month of [$1, $2) (whole months of Europe/London) with its key and whether it has settled by $3: ended,
 * and every clock started in it stopped. `trusts`: the trusts its incidents belong to.
 */
function monthKeysSql(): string {
  return `SELECT to_char(m.month, 'YYYY-MM-DD') AS month, m.month_start, m.next_month,
      '${PARTIAL_FORMAT}|' || c.clocks_key || '|' || i.incidents_key || '|' || v.config_version AS month_key,
      m.next_month <= $3 AND c.running = 0 AS settled, i.trusts::text[] AS trusts
    FROM (
      SELECT d::date AS month, d AT TIME ZONE '${REPORT_ZONE}' AS month_start,
        (d + interval '1 month') AT TIME ZONE '${REPORT_ZONE}' AS next_month
      FROM generate_series(date_trunc('month', $1::timestamptz AT TIME ZONE '${REPORT_ZONE}'),
        $2::timestamptz AT TIME ZONE '${REPORT_ZONE}' - interval '1 microsecond', interval '1 month') d
    ) m
    CROSS JOIN LATERAL (${clockRangeKeySql('m.month_start', 'm.next_month', '$3')}) c
    CROSS JOIN LATERAL (${incidentRangeKeySql('m.month_start', 'm.next_month')}) i
    CROSS JOIN (${slaConfigVersionSql()}) v
    ORDER BY m.month`;
}

/**
 * The report over the stored months: `p` is the months' rows the reader may see (rowScopeSql on alias `r`, the
 * IncidentScope rule of a reader bound to a trust, or none), at the keys given ($n months, $n+1 keys); `scopeSql`
 * (alias `i`) applies to the incidents the backlog and the supplier figures read. Parameters as reportCtes, then
 * the months and their keys.
 */
export function monthPartialsReportSql(
  scopeSql: string,
  rowScopeSql: string,
  keysParam: number,
  long: boolean,
) {
  const groupColumns = `dim text, key text, total bigint, resp_met bigint, resp_breached bigint, resp_open bigint,
    res_met bigint, res_breached bigint, res_open bigint, resp_n bigint, resp_sum numeric, resp_mins jsonb,
    res_n bigint, res_sum numeric, res_mins jsonb`;
  const sumOf = (c: string) => `sum(${c}) AS ${c}`;
  const counted = (part: string) =>
    `(SELECT coalesce(json_object_agg(key, n), '{}') FROM (
      SELECT x.key, sum(x.value::bigint) AS n FROM p, jsonb_each_text(p.a->'${part}') x GROUP BY x.key) y)`;
  const breach = `b.value`;
  return `
WITH p AS MATERIALIZED (
  SELECT r.aggregates AS a FROM report_month_partial r
    JOIN unnest($${keysParam}::date[], $${keysParam + 1}::text[]) AS k(month, month_key)
      ON k.month = r.month AND k.month_key = r.month_key
  WHERE ($4::uuid IS NULL OR r.trust_id = $4::uuid) AND ${rowScopeSql}
),
g AS MATERIALIZED (
  SELECT x.* FROM p CROSS JOIN LATERAL jsonb_to_recordset(p.a->'groups') AS x(${groupColumns})
),
pct AS (
  SELECT dim, key,
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY v) FILTER (WHERE t = 'resp') AS resp,
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY v) FILTER (WHERE t = 'res') AS res
  FROM (
    SELECT g.dim, g.key, 'resp' AS t, m.v::float8 AS v FROM g CROSS JOIN LATERAL jsonb_array_elements_text(g.resp_mins) m(v)
    UNION ALL
    SELECT g.dim, g.key, 'res', m.v::float8 FROM g CROSS JOIN LATERAL jsonb_array_elements_text(g.res_mins) m(v)
  ) x GROUP BY dim, key
),
grp AS (
  SELECT g.dim, g.key, ${sumOf('total')}, ${sumOf('resp_met')}, ${sumOf('resp_breached')}, ${sumOf('resp_open')},
    ${sumOf('res_met')}, ${sumOf('res_breached')}, ${sumOf('res_open')},
    sum(g.resp_sum) / nullif(sum(g.resp_n), 0) AS resp_mean, sum(g.res_sum) / nullif(sum(g.res_n), 0) AS res_mean
  FROM g GROUP BY g.dim, g.key
),
inc AS MATERIALIZED (
  SELECT i.id, i.priority FROM (${reportIncidentsSql()}) i
  WHERE i.reported_at >= $1 AND i.reported_at < $2 AND ($4::uuid IS NULL OR i.trust_id = $4::uuid) AND ${scopeSql}
),
${escalatedCte('inc', long)},
${backlogCte(scopeSql)}
SELECT json_build_object(
  'total', (SELECT coalesce(sum((a->>'total')::bigint), 0) FROM p),
  'groups', (SELECT coalesce(json_agg(json_build_object('dim', grp.dim, 'key', grp.key, 'total', grp.total,
      'resp_met', grp.resp_met, 'resp_breached', grp.resp_breached, 'resp_open', grp.resp_open,
      'res_met', grp.res_met, 'res_breached', grp.res_breached, 'res_open', grp.res_open,
      'resp_mean', grp.resp_mean, 'resp_median', pct.resp[1], 'resp_p90', pct.resp[2],
      'res_mean', grp.res_mean, 'res_median', pct.res[1], 'res_p90', pct.res[2])), '[]')
    FROM grp LEFT JOIN pct ON pct.dim = grp.dim AND pct.key = grp.key),
  'byChannel', ${counted('byChannel')},
  'byService', ${counted('byService')},
  'topSites', (SELECT coalesce(json_agg(x), '[]') FROM (
      SELECT s.code, s.name, sum(s.incidents) AS incidents
      FROM p CROSS JOIN LATERAL jsonb_to_recordset(p.a->'topSites') AS s(code text, name text, incidents bigint)
      GROUP BY s.code, s.name ORDER BY sum(s.incidents) DESC, s.code LIMIT ${TOP_SITES}) x),
  'backlog', ${BACKLOG_JSON},
  'holders', (SELECT coalesce(json_agg(x ORDER BY x.holder), '[]') FROM (
      SELECT h.holder, sum(h.minutes) AS minutes
      FROM p CROSS JOIN LATERAL jsonb_to_recordset(p.a->'holders') AS h(holder text, minutes numeric)
      GROUP BY h.holder) x),
  'breaches', (SELECT coalesce(json_agg(x.b ORDER BY x.over DESC, x.reference, x.target), '[]') FROM (
      SELECT ${breach} AS b, (${breach}->>'minutesOver')::numeric AS over, ${breach}->>'reference' AS reference,
        ${breach}->>'target' AS target
      FROM p CROSS JOIN LATERAL jsonb_array_elements(p.a->'breaches') b
      ORDER BY 2 DESC, 3, 4 LIMIT ${BREACHES_SHOWN}) x),
  'breachesTotal', (SELECT coalesce(sum((a->>'breachesTotal')::bigint), 0) FROM p),
  'reopen', (SELECT json_build_object('resolved', coalesce(sum((a->'reopen'->>'resolved')::bigint), 0),
      'reopened', coalesce(sum((a->'reopen'->>'reopened')::bigint), 0)) FROM p),
  ${supplierFiguresJson(long)}
) AS report`;
}

/**
 * The report of `months` (the period's whole months) from their stored figures, storing first those missing or
 * no longer true (one statement per month and trust); null when a month has not settled (measure it whole).
 * `scope` as runMonthlySla's, with rowScope set.
 */
export async function runMonthPartialsReport(
  em: EntityManager,
  scope: { sql: string; params: unknown[]; rowScope: string },
  period: { start: Date; end: Date; asOf: Date; trustId: string | null },
): Promise<ReportAggregates | null> {
  const months = await em.query<MonthKey[]>(monthKeysSql(), [period.start, period.end, period.asOf]);
  if (months.some((m) => !m.settled)) return null;
  const stored = await em.query<{ month: string; trust_id: string; month_key: string }[]>(
    `SELECT to_char(month, 'YYYY-MM-DD') AS month, trust_id, month_key FROM report_month_partial
      WHERE month = ANY($1::date[])`,
    [months.map((m) => m.month)],
  );
  const fresh = new Set(stored.map((r) => `${r.month} ${r.trust_id} ${r.month_key}`));
  for (const m of months) {
    const trusts = period.trustId === null ? m.trusts : m.trusts.filter((t) => t === period.trustId);
    for (const trust of trusts) {
      if (!fresh.has(`${m.month} ${trust} ${m.month_key}`))
        await storeMonthPartial(em, m, trust, period.asOf);
    }
  }
  const long = isLongPeriod(period);
  return em.transaction(async (tx) => {
    await setUpReportTransaction(tx, long);
    const keysParam = 5 + scope.params.length;
    const [row] = await tx.query<{ report: ReportAggregates }[]>(
      monthPartialsReportSql(scope.sql, scope.rowScope, keysParam, long),
      [
        period.start,
        period.end,
        period.asOf,
        period.trustId,
        ...scope.params,
        months.map((m) => m.month),
        months.map((m) => m.month_key),
      ],
    );
    return row.report;
  });
}

/**
 * Stores one month's figures of one trust under the key read before (so a change committed in between stores them
 * under the old key, and the next report computes them again).
 */
async function storeMonthPartial(em: EntityManager, m: MonthKey, trustId: string, asOf: Date): Promise<void> {
  await em.transaction(async (tx) => {
    await setUpReportTransaction(tx, false);
    await tx.query(slaReportSql('true', false, { month: '$5', key: '$6' }), [
      m.month_start,
      m.next_month,
      asOf,
      trustId,
      m.month,
      m.month_key,
    ]);
  });
}
