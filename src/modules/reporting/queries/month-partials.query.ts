import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { supplierHoldsSql } from '../../escalation/escalation-sql';
import {
  incidentRangeKeySql,
  incidentsReportedInSql,
  trustsOfIncidentsSql,
} from '../../incidents/incident-sql';
import {
  clockRangeKeySql,
  runningClockIncidentsSql,
  slaConfigVersionSql,
  zoneMonthsSql,
} from '../../sla/sla-report-sql';
import { REPORT_ZONE } from '../domain/report-period';
import type { ReportAggregates } from '../domain/sla-report';
import { isLongPeriod, setUpReportTransaction } from './report-ctes';
import {
  BACKLOG_JSON,
  BREACHES_SHOWN,
  TOP_SITES,
  backlogCte,
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
 * sites and services (names in the lists), the SLA configuration (every calendar's version, the policies') and the
 * statement that computed it (a change to the report's SQL computes every month again).
 *
 * Only settled months are added up this way: ended, and every clock of the month stopped (of the trust asked
 * for, or of every trust), so no figure of it moves with time. A period with a month not settled is measured whole
 * by the one statement (runSlaReport). One trust's incident left open does not hold back another trust's reports
 * (while its clock runs, its re-evaluations change the month's key, and the others' month is computed again).
 * What is not a month's to store is measured for the period as of the report's instant, as in the one statement:
 * the backlog (an instant, not a sum) and the supplier figures (an escalation's contract clocks can still change
 * after its incident's clocks stopped).
 */

/** The statement that stores one month of one trust (storeMonthPartial's parameters). */
const STORE_MONTH_SQL = slaReportSql('true', false, { month: '$5', key: '$6' });

/** The stored figures' format: a hash of the statement that computes them (with the breaches each keeps). */
const PARTIAL_FORMAT = createHash('sha256').update(STORE_MONTH_SQL).digest('hex').slice(0, 16);

interface MonthKey {
  month: string;
  month_start: Date;
  next_month: Date;
  month_key: string;
  ended: boolean;
  /** The trusts its incidents belong to. */
  trusts: string[];
  /** The trusts with an incident of the month whose clock still runs. */
  running: string[];
}

/** Whether a month has settled for a report of one trust (or all): ended, and no clock of theirs still running. */
const settledFor = (m: MonthKey, trustId: string | null): boolean =>
  m.ended && (trustId === null ? m.running.length === 0 : !m.running.includes(trustId));

/**
 * Every month of [$1, $2) (whole months of Europe/London) with its key, whether it has ended by $3, the trusts its
 * incidents belong to and those of them with a clock started in it still running at $3.
 */
function monthKeysSql(): string {
  return `SELECT to_char(m.month, 'YYYY-MM-DD') AS month, m.month_start, m.next_month,
      '${PARTIAL_FORMAT}|' || c.clocks_key || '|' || i.incidents_key || '|' || v.config_version AS month_key,
      m.next_month <= $3 AS ended, i.trusts::text[] AS trusts,
      ${trustsOfIncidentsSql(runningClockIncidentsSql('m.month_start', 'm.next_month', '$3'))}::text[] AS running
    FROM (${zoneMonthsSql('$1', '$2', REPORT_ZONE)}) m
    CROSS JOIN LATERAL (${clockRangeKeySql('m.month_start', 'm.next_month')}) c
    CROSS JOIN LATERAL (${incidentRangeKeySql('m.month_start', 'm.next_month')}) i
    CROSS JOIN (${slaConfigVersionSql()}) v
    ORDER BY m.month`;
}

/**
 * The sum of the stored months: `p` is the months' rows the reader may see at the keys given: $1 a trust id or
 * null (all trusts), then `rowScopeSql` on alias `r` (the IncidentScope rule of a reader bound to a trust, or none)
 * with its parameters from $2, then the months ($n) and their keys ($n+1). Every figure of the report but the
 * backlog and the supplier figures (periodLiveFiguresSql).
 */
function monthPartialsReportSql(rowScopeSql: string, keysParam: number): string {
  const partColumns = `total bigint, groups jsonb, "byChannel" jsonb, "byService" jsonb, "topSites" jsonb,
    holders jsonb, breaches jsonb, "breachesTotal" bigint, reopen jsonb`;
  const groupColumns = `dim text, key text, total bigint, resp_met bigint, resp_breached bigint, resp_open bigint,
    res_met bigint, res_breached bigint, res_open bigint, resp_n bigint, resp_sum numeric, resp_mins float8[],
    res_n bigint, res_sum numeric, res_mins float8[]`;
  const sumOf = (c: string) => `sum(g.${c}) AS ${c}`;
  // The median and p90 of a group's minutes over every month: one sort of its values alone.
  const percentiles = (c: string) => `(SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY v)
      FROM g CROSS JOIN LATERAL unnest(g.${c}) v WHERE g.dim = grp.dim AND g.key = grp.key)`;
  const counted = (part: string) =>
    `(SELECT coalesce(json_object_agg(key, n), '{}') FROM (
      SELECT x.key, sum(x.value::bigint) AS n FROM p, jsonb_each_text(p."${part}") x GROUP BY x.key) y)`;
  const total = (sql: string) => `(SELECT coalesce(sum(${sql}), 0) FROM p)`;
  return `
WITH p AS MATERIALIZED (
  -- Each stored row's parts taken out once (every -> on the row would read its whole document again).
  SELECT a.* FROM report_month_partial r
    JOIN unnest($${keysParam}::date[], $${keysParam + 1}::text[]) AS k(month, month_key)
      ON k.month = r.month AND k.month_key = r.month_key
    CROSS JOIN LATERAL jsonb_to_record(r.aggregates) AS a(${partColumns})
  WHERE ($1::uuid IS NULL OR r.trust_id = $1::uuid) AND ${rowScopeSql}
),
g AS MATERIALIZED (
  SELECT x.dim, x.key, x.total, x.resp_met, x.resp_breached, x.resp_open, x.res_met, x.res_breached, x.res_open,
    x.resp_n, x.resp_sum, x.res_n, x.res_sum, x.resp_mins, x.res_mins
  FROM p CROSS JOIN LATERAL jsonb_to_recordset(p.groups) AS x(${groupColumns})
),
grp AS (
  SELECT g.dim, g.key, ${sumOf('total')}, ${sumOf('resp_met')}, ${sumOf('resp_breached')}, ${sumOf('resp_open')},
    ${sumOf('res_met')}, ${sumOf('res_breached')}, ${sumOf('res_open')},
    sum(g.resp_sum) / nullif(sum(g.resp_n), 0) AS resp_mean, sum(g.res_sum) / nullif(sum(g.res_n), 0) AS res_mean
  FROM g GROUP BY g.dim, g.key
)
SELECT json_build_object(
  'total', ${total('p.total')},
  'groups', (SELECT coalesce(json_agg(json_build_object('dim', grp.dim, 'key', grp.key, 'total', grp.total,
      'resp_met', grp.resp_met, 'resp_breached', grp.resp_breached, 'resp_open', grp.resp_open,
      'res_met', grp.res_met, 'res_breached', grp.res_breached, 'res_open', grp.res_open,
      'resp_mean', grp.resp_mean, 'resp_median', q.resp[1], 'resp_p90', q.resp[2],
      'res_mean', grp.res_mean, 'res_median', q.res[1], 'res_p90', q.res[2])), '[]')
    FROM grp CROSS JOIN LATERAL (
      -- OFFSET 0: each percentile once per group, not once for each of its two uses above.
      SELECT ${percentiles('resp_mins')} AS resp, ${percentiles('res_mins')} AS res OFFSET 0) q),
  'byChannel', ${counted('byChannel')},
  'byService', ${counted('byService')},
  'topSites', (SELECT coalesce(json_agg(x), '[]') FROM (
      SELECT s.code, s.name, sum(s.incidents) AS incidents
      FROM p CROSS JOIN LATERAL jsonb_to_recordset(p."topSites") AS s(code text, name text, incidents bigint)
      GROUP BY s.code, s.name ORDER BY sum(s.incidents) DESC, s.code LIMIT ${TOP_SITES}) x),
  'holders', (SELECT coalesce(json_agg(x ORDER BY x.holder), '[]') FROM (
      SELECT h.holder, sum(h.minutes) AS minutes
      FROM p CROSS JOIN LATERAL jsonb_to_recordset(p.holders) AS h(holder text, minutes numeric)
      GROUP BY h.holder) x),
  'breaches', (SELECT coalesce(json_agg(x.b ORDER BY x.over DESC, x.reference, x.target), '[]') FROM (
      SELECT b.value AS b, (b.value->>'minutesOver')::numeric AS over, b.value->>'reference' AS reference,
        b.value->>'target' AS target
      FROM p CROSS JOIN LATERAL jsonb_array_elements(p.breaches) b
      ORDER BY 2 DESC, 3, 4 LIMIT ${BREACHES_SHOWN}) x),
  'breachesTotal', ${total('p."breachesTotal"')},
  'reopen', json_build_object('resolved', ${total(`(p.reopen->>'resolved')::bigint`)},
    'reopened', ${total(`(p.reopen->>'reopened')::bigint`)})
) AS report`;
}

/**
 * What a report of months measures for its period as of $3 rather than adding up (parameters as reportCtes): the
 * backlog at the period's end and the supplier figures. Its own statement, run beside the sum of the stored months
 * (on a second connection: the two take about as long each).
 */
function periodLiveFiguresSql(scopeSql: string): string {
  return `
WITH escalated AS MATERIALIZED (
  -- An escalation is made after its incident was reported: the period's are among those made since it began
  -- (read by the escalations' created_at index; a day's slack for clocks of servers that differ), those whose
  -- incident was reported in it.
  SELECT h.escalation_id, h.supplier_code, i.priority
  FROM (${supplierHoldsSql()}) h JOIN (${incidentsReportedInSql('$1', '$2')}) i ON i.id = h.incident_id
  WHERE h.held_from >= $1::timestamptz - interval '1 day' AND ($4::uuid IS NULL OR i.trust_id = $4::uuid) AND ${scopeSql}
),
${backlogCte(scopeSql)}
SELECT json_build_object(
  'backlog', ${BACKLOG_JSON},
  -- A year's 80,000 contract clocks looked up by escalation (as fast as hashing the whole table).
  ${supplierFiguresJson(false)}
) AS figures`;
}

/**
 * The report of the period's whole months from their stored figures, storing first those missing or no longer
 * true (one statement per month and trust); null when a month has not settled (measure it whole), or when a
 * concurrent report stored the same month's figures under another key first (the one statement answers, and the
 * next report finds the month stored; tried twice). The keys, the stores and the sum are one REPEATABLE READ
 * transaction (of one instant); the backlog and the supplier figures are measured beside it on a second
 * connection.
 * `scope`: the IncidentScope rule on alias `i` with its parameters from $5 (`sql`, `params`), and on alias `r`
 * with the same parameters from $2 (`rowScope`).
 */
export async function runMonthPartialsReport(
  em: EntityManager,
  scope: { sql: string; params: unknown[]; rowScope: string },
  period: { start: Date; end: Date; asOf: Date; trustId: string | null },
): Promise<ReportAggregates | null> {
  const live = em.transaction(async (tx) => {
    await setUpReportTransaction(tx, false);
    const [row] = await tx.query<{ figures: Pick<ReportAggregates, LiveFigure> }[]>(
      periodLiveFiguresSql(scope.sql),
      [period.start, period.end, period.asOf, period.trustId, ...scope.params],
    );
    return row.figures;
  });
  let sum: Omit<ReportAggregates, LiveFigure> | null = null;
  try {
    sum = await sumStoredMonthsRetried(em, scope, period);
  } finally {
    // Measured for nothing when the months are not added up: not waited for (the one statement answers).
    if (sum === null) live.catch(() => undefined);
  }
  return sum === null ? null : { ...sum, ...(await live) };
}

/**
 * sumStoredMonths, once more when a concurrent report wrote the same rows first (a new snapshot then sees what it
 * stored); null when that happens again.
 */
async function sumStoredMonthsRetried(
  em: EntityManager,
  scope: { params: unknown[]; rowScope: string },
  period: { start: Date; end: Date; asOf: Date; trustId: string | null },
): Promise<Omit<ReportAggregates, LiveFigure> | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sumStoredMonths(em, scope, period);
    } catch (error) {
      if (!isSerializationFailure(error)) throw error;
      if (attempt === 2) return null;
    }
  }
}

/** The figures measured for the period rather than added up. */
type LiveFigure = 'backlog' | 'supplierEscalations' | 'supplierClocks';

async function sumStoredMonths(
  em: EntityManager,
  scope: { params: unknown[]; rowScope: string },
  period: { start: Date; end: Date; asOf: Date; trustId: string | null },
): Promise<Omit<ReportAggregates, LiveFigure> | null> {
  return em.transaction('REPEATABLE READ', async (tx) => {
    await setUpReportTransaction(tx, false);
    const months = await tx.query<MonthKey[]>(monthKeysSql(), [period.start, period.end, period.asOf]);
    if (months.some((m) => !settledFor(m, period.trustId))) return null;
    const stored = await tx.query<{ month: string; trust_id: string; month_key: string }[]>(
      `SELECT to_char(month, 'YYYY-MM-DD') AS month, trust_id, month_key FROM report_month_partial
        WHERE month = ANY($1::date[])`,
      [months.map((m) => m.month)],
    );
    const fresh = new Set(stored.map((r) => `${r.month} ${r.trust_id} ${r.month_key}`));
    for (const m of months) {
      const trusts = period.trustId === null ? m.trusts : m.trusts.filter((t) => t === period.trustId);
      for (const trust of trusts) {
        if (!fresh.has(`${m.month} ${trust} ${m.month_key}`))
          await storeMonthPartial(tx, m, trust, period.asOf);
      }
    }
    await setUpReportTransaction(tx, isLongPeriod(period));
    const [row] = await tx.query<{ report: Omit<ReportAggregates, LiveFigure> }[]>(
      monthPartialsReportSql(scope.rowScope, 2 + scope.params.length),
      [period.trustId, ...scope.params, months.map((m) => m.month), months.map((m) => m.month_key)],
    );
    return row.report;
  });
}

/**
 * PostgreSQL's serialization_failure (a row this transaction writes was written by another since it began) or
 * deadlock_detected: another report was storing the same months, or the same incidents' clock-holder figures
 * (sla_clock_summary, which the months' statements store too).
 */
function isSerializationFailure(error: unknown): boolean {
  const code = (error as { driverError?: { code?: string } }).driverError?.code;
  return code === '40001' || code === '40P01';
}

/** Stores one month's figures of one trust under its key (in the caller's transaction). */
async function storeMonthPartial(tx: EntityManager, m: MonthKey, trustId: string, asOf: Date): Promise<void> {
  await tx.query(STORE_MONTH_SQL, [m.month_start, m.next_month, asOf, trustId, m.month, m.month_key]);
}
