import { shapeSlaReport, type ReportAggregates } from '../../reporting/domain/sla-report';
import { reportsPageView } from './reports-page.view';

describe('reportsPageView: the breaches list', () => {
  const aggregates = (shown: number, total: number): ReportAggregates => ({
    total: String(total),
    groups: [],
    byChannel: {},
    byService: {},
    topSites: [],
    backlog: { open: '0', d0_1: '0', d1_3: '0', d3_7: '0', d7_30: '0', d30: '0' },
    holders: [],
    breaches: Array.from({ length: shown }, (_, k) => ({
      reference: `INC-${String(k + 1).padStart(6, '0')}`,
      siteCode: '2001',
      site: 'Royal Preston',
      priority: 'P2',
      target: 'resolution',
      targetMinutes: 480,
      minutesOver: String(1000 - k),
      heldBy: 'desk',
    })),
    breachesTotal: String(total),
    reopen: { resolved: 0, reopened: 0 },
    supplierEscalations: [],
    supplierClocks: [],
  });
  const view = (shown: number, total: number) =>
    reportsPageView(
      shapeSlaReport(aggregates(shown, total), {
        trust: null,
        from: '2026-10-01',
        to: '2026-10-31',
        asOf: new Date(0),
      }),
      [],
      { trusts: null, trust: null },
    );

  it('says how many of how many breaches it lists when the list is cut', () => {
    expect(view(100, 1234).breachesCut).toEqual({ shown: '100', total: '1,234' });
  });

  it('says nothing more when every breach is listed', () => {
    expect(view(3, 3).breachesCut).toBeNull();
  });
});
