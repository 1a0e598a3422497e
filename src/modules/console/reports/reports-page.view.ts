import { AGE_BUCKETS, metPercent, type SlaReport } from '../../reporting/domain/sla-report';
import { barChart, percentLineChart } from '../../reporting/charts/chart-models';

const pct = (v: number | null): string => (v === null ? 'none decided' : `${v}%`);
const mins = (v: number | null): string => (v === null ? '–' : v.toLocaleString('en-GB'));

/** The report page's model: headline figures, four charts (with their figures as rows) and the tables. */
export function reportsPageView(
  report: SlaReport,
  monthly: { month: string; metPercent: number | null }[],
  form: { trusts: { code: string; name: string }[] | null; trust: string | null },
) {
  const groups = Object.values(report.byPriority);
  const sum = (pick: (g: (typeof groups)[number]) => number) => groups.reduce((a, g) => a + pick(g), 0);
  const responsePct = metPercent(
    sum((g) => g.response.met),
    sum((g) => g.response.breached),
  );
  const resolutionPct = metPercent(
    sum((g) => g.resolution.met),
    sum((g) => g.resolution.breached),
  );
  const services = Object.entries(report.byService)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([label, value]) => ({ label, value }));
  const backlog = AGE_BUCKETS.map((b) => ({ label: b, value: report.backlog.ageBuckets[b] }));
  const holders = [
    { label: 'desk', value: report.clockHolders.desk },
    { label: 'caller', value: report.clockHolders.caller },
    ...Object.entries(report.clockHolders.suppliers).map(([code, value]) => ({ label: code, value })),
  ];
  const months = monthly.map((m) => ({ label: m.month, value: m.metPercent }));
  const rows = (data: { label: string; value: number | null }[], format: (v: number | null) => string) =>
    data.map((d) => ({ label: d.label, value: format(d.value) }));
  const csvQuery = new URLSearchParams({
    ...(report.trust ? { trust: report.trust } : {}),
    from: report.from,
    to: report.to,
  }).toString();
  return {
    report,
    scopeLabel: report.trust ?? 'All trusts',
    form: {
      trusts: form.trusts?.map((t) => ({ ...t, selected: t.code === form.trust })) ?? null,
      allSelected: form.trust === null,
      from: report.from,
      to: report.to,
    },
    csvHref: `/api/reports/sla.csv?${csvQuery}`,
    headline: [
      { label: 'Incidents reported', value: report.total.toLocaleString('en-GB') },
      { label: 'First response met', value: pct(responsePct) },
      { label: 'Resolution met', value: pct(resolutionPct) },
      { label: 'Open at period end', value: report.backlog.open.toLocaleString('en-GB') },
      { label: 'Reopen rate', value: report.reopenRate === null ? 'none resolved' : `${report.reopenRate}%` },
    ],
    charts: {
      monthly: { chart: percentLineChart(months), rows: rows(months, pct) },
      services: { chart: barChart(services), rows: rows(services, mins) },
      backlog: { chart: barChart(backlog), rows: rows(backlog, mins) },
      holders: { chart: barChart(holders, { unit: '' }), rows: rows(holders, mins) },
    },
    priorities: Object.entries(report.byPriority).map(([key, g]) => ({ key, ...g, ...groupText(g) })),
    siteClasses: Object.entries(report.bySiteClass).map(([key, g]) => ({ key, ...g, ...groupText(g) })),
    breaches: report.breaches,
    breachesCut:
      report.breachesTotal > report.breaches.length
        ? {
            shown: report.breaches.length.toLocaleString('en-GB'),
            total: report.breachesTotal.toLocaleString('en-GB'),
          }
        : null,
    suppliers: Object.entries(report.suppliers).map(([code, s]) => ({ code, ...s })),
  };
}

function groupText(g: SlaReport['byPriority'][string]) {
  return {
    responsePct: pct(g.response.metPercent),
    resolutionPct: pct(g.resolution.metPercent),
    respond: `${mins(g.respondMinutes.mean)} / ${mins(g.respondMinutes.median)} / ${mins(g.respondMinutes.p90)}`,
    resolve: `${mins(g.resolveMinutes.mean)} / ${mins(g.resolveMinutes.median)} / ${mins(g.resolveMinutes.p90)}`,
  };
}
