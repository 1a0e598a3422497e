import type { EntityManager } from 'typeorm';
import type { ReportAggregates } from '../domain/sla-report';
import {
  BREACH_LOOK_UP_ROWS,
  breachListSql,
  isLongPeriod,
  reportCtes,
  setUpReportTransaction,
} from './report-ctes';

/**
 * One page of a period's breaches, worst first (the order of the report's own list), and how many there are: the
 * report's CTEs (reportCtes) read only, nothing stored. Parameters as reportCtes, then the scope's, then the
 * page's offset and limit at `$<pageParam>` and `$<pageParam + 1>`; `deep`: a page past BREACH_LOOK_UP_ROWS.
 */
export function slaBreachesSql(scopeSql: string, pageParam: number, deep = false): string {
  return `WITH ${reportCtes(scopeSql)}
SELECT json_build_object(
  'total', (SELECT count(*) FROM breached),
  'breaches', ${breachListSql(`$${pageParam}::int`, `$${pageParam + 1}::int`, deep)}
) AS page`;
}

export async function runSlaBreaches(
  em: EntityManager,
  scope: { sql: string; params: unknown[] },
  period: { start: Date; end: Date; asOf: Date; trustId: string | null },
  page: { offset: number; limit: number },
): Promise<{ total: number | string; breaches: ReportAggregates['breaches'] }> {
  return em.transaction(async (tx) => {
    await setUpReportTransaction(tx, isLongPeriod(period));
    const [row] = await tx.query<
      { page: { total: number | string; breaches: ReportAggregates['breaches'] } }[]
    >(slaBreachesSql(scope.sql, 5 + scope.params.length, page.offset + page.limit > BREACH_LOOK_UP_ROWS), [
      period.start,
      period.end,
      period.asOf,
      period.trustId,
      ...scope.params,
      page.offset,
      page.limit,
    ]);
    return row.page;
  });
}
