import { splitAtUtcMidnight } from './sla-open-periods';

describe('splitAtUtcMidnight', () => {
  const d = (iso: string) => new Date(iso);
  it('cuts an interval at every UTC midnight and leaves a short one alone', () => {
    expect(
      splitAtUtcMidnight([
        { start: d('2026-05-01T07:00:00Z'), end: d('2026-05-01T17:30:00Z') },
        { start: d('2026-05-02T22:00:00Z'), end: d('2026-05-04T01:00:00Z') },
      ]),
    ).toEqual([
      { start: d('2026-05-01T07:00:00Z'), end: d('2026-05-01T17:30:00Z') },
      { start: d('2026-05-02T22:00:00Z'), end: d('2026-05-03T00:00:00Z') },
      { start: d('2026-05-03T00:00:00Z'), end: d('2026-05-04T00:00:00Z') },
      { start: d('2026-05-04T00:00:00Z'), end: d('2026-05-04T01:00:00Z') },
    ]);
  });
});
