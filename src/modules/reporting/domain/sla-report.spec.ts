import { metPercent, round1, shapeSlaReport, type ReportAggregates } from './sla-report';

describe('metPercent', () => {
  it.each([
    [0, 0, null],
    [3, 1, 75],
    [0, 2, 0],
    [2, 1, 66.7],
    [5, 0, 100],
  ])('%i met, %i breached → %p', (met, breached, expected) => {
    expect(metPercent(met, breached)).toBe(expected);
  });
});

describe('shapeSlaReport', () => {
  const empty: ReportAggregates = {
    total: '0',
    groups: [],
    byChannel: {},
    byService: {},
    topSites: [],
    backlog: { open: '2', d0_1: '1', d1_3: '0', d3_7: '0', d7_30: '0', d30: '1' },
    holders: [
      { holder: 'desk', minutes: '100.04' },
      { holder: 'supplier:vmb', minutes: '20' },
    ],
    breaches: [],
    breachesTotal: '0',
    reopen: { resolved: 0, reopened: 0 },
    supplierEscalations: [
      { supplier: 'vmb', priority: 'P1', escalations: '2' },
      { supplier: 'vmb', priority: 'P2', escalations: '1' },
    ],
    supplierClocks: [{ supplier: 'vmb', priority: 'P1', target: 'fix', met: '1', breached: '1' }],
  };

  it('turns strings into numbers, rounds minutes to one decimal and sums suppliers over priorities', () => {
    const r = shapeSlaReport(empty, { trust: null, from: '2026-10-01', to: '2026-10-31', asOf: new Date(0) });
    expect(r).toMatchObject({
      total: 0,
      reopenRate: null,
      backlog: { open: 2, ageBuckets: { '0-1d': 1, '30d+': 1 } },
      clockHolders: { desk: 100, caller: 0, suppliers: { vmb: 20 } },
      suppliers: {
        vmb: {
          escalations: 3,
          acknowledge: { met: 0, breached: 0 },
          fix: { met: 1, breached: 1 },
          byPriority: { P1: { escalations: 2, fix: { met: 1, breached: 1 } }, P2: { escalations: 1 } },
        },
      },
      frozen: null,
    });
  });

  it('rounds half away from zero at one decimal', () => {
    expect([round1(0.05), round1(1.25), round1(138.00000001)]).toEqual([0.1, 1.3, 138]);
  });
});
