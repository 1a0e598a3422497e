import { monthClosed, packHash, reportChanges, wholeMonthOf } from './report-pack';
import type { SlaReport } from './sla-report';

const report = (over: Partial<SlaReport> = {}): SlaReport => ({
  trust: 'T1',
  from: '2026-10-01',
  to: '2026-10-31',
  asOf: '2026-11-06T00:00:00.000Z',
  total: 2,
  byPriority: {},
  bySiteClass: {},
  byChannel: { email: 2 },
  byService: {},
  backlog: { open: 0, ageBuckets: { '0-1d': 0, '1-3d': 0, '3-7d': 0, '7-30d': 0, '30d+': 0 } },
  breaches: [],
  breachesTotal: 0,
  clockHolders: { desk: 10, caller: 0, suppliers: {} },
  suppliers: {},
  reopenRate: null,
  topSites: [],
  frozen: null,
  ...over,
});

describe('report packs', () => {
  it('knows a whole month', () => {
    const p = (from: string, to: string) => ({ from, to, start: new Date(0), end: new Date(0) });
    expect(wholeMonthOf(p('2026-10-01', '2026-10-31'))).toBe('2026-10');
    expect(wholeMonthOf(p('2026-02-01', '2026-02-28'))).toBe('2026-02');
    expect(wholeMonthOf(p('2026-10-01', '2026-10-30'))).toBeNull();
    expect(wholeMonthOf(p('2026-10-02', '2026-10-31'))).toBeNull();
  });

  it('closes a month the given days after its end, in England (GMT in November)', () => {
    expect(monthClosed('2026-10', new Date('2026-11-05T23:59:59Z'), 5)).toBe(false);
    expect(monthClosed('2026-10', new Date('2026-11-06T00:00:00Z'), 5)).toBe(true);
  });

  it('hashes the figures, not the instant they were computed at', () => {
    const a = packHash(report(), 'csv');
    expect(packHash(report({ asOf: '2030-01-01T00:00:00.000Z' }), 'csv')).toBe(a);
    expect(packHash(report({ total: 3 }), 'csv')).not.toBe(a);
    expect(packHash(report(), 'csv2')).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists the figures that changed', () => {
    expect(reportChanges(report(), report({ asOf: 'later' }))).toEqual([]);
    expect(
      reportChanges(report(), report({ total: 3, clockHolders: { desk: 9, caller: 1, suppliers: {} } })),
    ).toEqual([
      { path: 'clockHolders.caller', frozen: 0, now: 1 },
      { path: 'clockHolders.desk', frozen: 10, now: 9 },
      { path: 'total', frozen: 2, now: 3 },
    ]);
  });
});
