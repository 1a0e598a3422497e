/**
 * The SLA report's JSON (pinned in the issue) and how the statement's aggregates become it. Pure: numbers in,
 * numbers out. Minutes are business minutes of each incident's calendar, rounded to one decimal.
 */

export interface TargetCounts {
  met: number;
  breached: number;
  open: number;
  /** met / (met + breached) × 100, one decimal; null when both are 0. */
  metPercent: number | null;
}

export interface MinuteStats {
  mean: number | null;
  median: number | null;
  p90: number | null;
}

export interface GroupFigures {
  total: number;
  response: TargetCounts;
  resolution: TargetCounts;
  respondMinutes: MinuteStats;
  resolveMinutes: MinuteStats;
}

export interface Breach {
  reference: string;
  site: string;
  siteCode: string;
  priority: string;
  target: 'response' | 'resolution';
  targetMinutes: number;
  minutesOver: number;
  /** 'desk', 'caller' or 'supplier:<code>': who held the clock for most of the clock's time. */
  heldBy: string;
}

export interface SupplierFigures {
  escalations: number;
  acknowledge: { met: number; breached: number };
  fix: { met: number; breached: number };
  byPriority: Record<
    string,
    {
      escalations: number;
      acknowledge: { met: number; breached: number };
      fix: { met: number; breached: number };
    }
  >;
}

export const AGE_BUCKETS = ['0-1d', '1-3d', '3-7d', '7-30d', '30d+'] as const;

export interface SlaReport {
  trust: string | null;
  from: string;
  to: string;
  asOf: string;
  total: number;
  byPriority: Record<string, GroupFigures>;
  bySiteClass: Record<string, GroupFigures>;
  byChannel: Record<string, number>;
  byService: Record<string, number>;
  backlog: { open: number; ageBuckets: Record<(typeof AGE_BUCKETS)[number], number> };
  /** The worst breaches (most minutes over first; ties by reference, then target), at most BREACHES_SHOWN. */
  breaches: Breach[];
  /** Every breached clock of the period (the whole list: GET /api/reports/sla/breaches, or the CSV's states). */
  breachesTotal: number;
  clockHolders: { desk: number; caller: number; suppliers: Record<string, number> };
  suppliers: Record<string, SupplierFigures>;
  /** Reopened / resolved at least once × 100, one decimal; null when none was resolved. */
  reopenRate: number | null;
  topSites: { code: string; name: string; incidents: number }[];
  frozen: { version: number; hash: string; frozenAt: string } | null;
}

/** What the report statement answers (counts may arrive as strings: PostgreSQL bigint and numeric). */
export interface ReportAggregates {
  total: number | string;
  groups: {
    dim: 'priority' | 'siteClass';
    key: string;
    total: number | string;
    resp_met: number | string;
    resp_breached: number | string;
    resp_open: number | string;
    res_met: number | string;
    res_breached: number | string;
    res_open: number | string;
    resp_mean: number | string | null;
    resp_median: number | string | null;
    resp_p90: number | string | null;
    res_mean: number | string | null;
    res_median: number | string | null;
    res_p90: number | string | null;
  }[];
  byChannel: Record<string, number | string>;
  byService: Record<string, number | string>;
  topSites: { code: string; name: string; incidents: number | string }[];
  backlog: Record<'open' | 'd0_1' | 'd1_3' | 'd3_7' | 'd7_30' | 'd30', number | string>;
  holders: { holder: string; minutes: number | string | null }[];
  breachesTotal: number | string;
  breaches: {
    reference: string;
    siteCode: string;
    site: string;
    priority: string;
    target: 'response' | 'resolution';
    targetMinutes: number | string;
    minutesOver: number | string | null;
    heldBy: string | null;
  }[];
  reopen: { resolved: number | string; reopened: number | string };
  supplierEscalations: { supplier: string; priority: string; escalations: number | string }[];
  supplierClocks: {
    supplier: string;
    priority: string;
    target: 'acknowledge' | 'fix';
    met: number | string;
    breached: number | string;
  }[];
}

const n = (v: number | string | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));
export const round1 = (v: number): number => Math.round(v * 10) / 10;
const minutes = (v: number | string | null): number | null => (v === null ? null : round1(Number(v)));

export function metPercent(met: number, breached: number): number | null {
  return met + breached === 0 ? null : round1((met / (met + breached)) * 100);
}

function counts(met: number | string, breached: number | string, open: number | string): TargetCounts {
  return { met: n(met), breached: n(breached), open: n(open), metPercent: metPercent(n(met), n(breached)) };
}

function group(g: ReportAggregates['groups'][number]): GroupFigures {
  return {
    total: n(g.total),
    response: counts(g.resp_met, g.resp_breached, g.resp_open),
    resolution: counts(g.res_met, g.res_breached, g.res_open),
    respondMinutes: { mean: minutes(g.resp_mean), median: minutes(g.resp_median), p90: minutes(g.resp_p90) },
    resolveMinutes: { mean: minutes(g.res_mean), median: minutes(g.res_median), p90: minutes(g.res_p90) },
  };
}

const numbers = (o: Record<string, number | string>): Record<string, number> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, n(v)]));

function suppliers(raw: ReportAggregates): Record<string, SupplierFigures> {
  const out: Record<string, SupplierFigures> = {};
  const entry = (supplier: string, priority: string) => {
    const s = (out[supplier] ??= {
      escalations: 0,
      acknowledge: { met: 0, breached: 0 },
      fix: { met: 0, breached: 0 },
      byPriority: {},
    });
    const p = (s.byPriority[priority] ??= {
      escalations: 0,
      acknowledge: { met: 0, breached: 0 },
      fix: { met: 0, breached: 0 },
    });
    return { s, p };
  };
  for (const e of raw.supplierEscalations) {
    const { s, p } = entry(e.supplier, e.priority);
    s.escalations += n(e.escalations);
    p.escalations += n(e.escalations);
  }
  for (const c of raw.supplierClocks) {
    const { s, p } = entry(c.supplier, c.priority);
    for (const into of [s[c.target], p[c.target]]) {
      into.met += n(c.met);
      into.breached += n(c.breached);
    }
  }
  return out;
}

/** One breach of the statement's list as the JSON shows it. */
export function shapeBreach(x: ReportAggregates['breaches'][number]): Breach {
  return {
    reference: x.reference,
    site: x.site,
    siteCode: x.siteCode,
    priority: x.priority,
    target: x.target,
    targetMinutes: n(x.targetMinutes),
    minutesOver: round1(n(x.minutesOver)),
    heldBy: x.heldBy ?? 'desk',
  };
}

/** The pinned JSON from the statement's aggregates. */
export function shapeSlaReport(
  raw: ReportAggregates,
  meta: { trust: string | null; from: string; to: string; asOf: Date },
): SlaReport {
  const byPriority: Record<string, GroupFigures> = {};
  const bySiteClass: Record<string, GroupFigures> = {};
  for (const g of raw.groups) (g.dim === 'priority' ? byPriority : bySiteClass)[g.key] = group(g);
  const holders = { desk: 0, caller: 0, suppliers: {} as Record<string, number> };
  for (const h of raw.holders) {
    const m = round1(n(h.minutes));
    if (h.holder === 'desk') holders.desk = m;
    else if (h.holder === 'caller') holders.caller = m;
    else holders.suppliers[h.holder.replace(/^supplier:/, '')] = m;
  }
  const b = raw.backlog;
  return {
    trust: meta.trust,
    from: meta.from,
    to: meta.to,
    asOf: meta.asOf.toISOString(),
    total: n(raw.total),
    byPriority,
    bySiteClass,
    byChannel: numbers(raw.byChannel),
    byService: numbers(raw.byService),
    backlog: {
      open: n(b.open),
      ageBuckets: {
        '0-1d': n(b.d0_1),
        '1-3d': n(b.d1_3),
        '3-7d': n(b.d3_7),
        '7-30d': n(b.d7_30),
        '30d+': n(b.d30),
      },
    },
    breaches: raw.breaches.map(shapeBreach),
    breachesTotal: n(raw.breachesTotal),
    clockHolders: holders,
    suppliers: suppliers(raw),
    reopenRate:
      n(raw.reopen.resolved) === 0 ? null : round1((n(raw.reopen.reopened) / n(raw.reopen.resolved)) * 100),
    topSites: raw.topSites.map((s) => ({ code: s.code, name: s.name, incidents: n(s.incidents) })),
    frozen: null,
  };
}
