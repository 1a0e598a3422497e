import { medianMinutes, metPercent, reopenedAfter } from './scorecard';

const d = (m: number): Date => new Date(Date.UTC(2026, 0, 1, 0, m));

describe('scorecard arithmetic', () => {
  const clocks = [
    { dueAt: d(20), metAt: d(10), breachedAt: null, minutesToMeet: 10 },
    { dueAt: d(20), metAt: d(30), breachedAt: d(20), minutesToMeet: 30 },
    { dueAt: d(20), metAt: null, breachedAt: d(20), minutesToMeet: null },
    { dueAt: d(20), metAt: d(20), breachedAt: null, minutesToMeet: 20 },
    { dueAt: d(20), metAt: null, breachedAt: null, minutesToMeet: null },
  ];

  it('counts met in time over clocks that ended, and the median of minutes to meet', () => {
    expect(metPercent(clocks)).toBe(50);
    expect(medianMinutes(clocks)).toBe(20);
    expect(metPercent([])).toBeNull();
    expect(medianMinutes([clocks[0], clocks[1]])).toBe(20);
  });

  it('sees a reopen after the supplier said resolved', () => {
    const history = [
      { status: 'in_progress', at: d(5) },
      { status: 'resolved', at: d(6) },
      { status: 'in_progress', at: d(7) },
    ];
    expect(reopenedAfter(history, d(5))).toBe(true);
    expect(reopenedAfter(history.slice(0, 2), d(5))).toBe(false);
    expect(reopenedAfter([...history.slice(0, 2), { status: 'closed', at: d(9) }], d(5))).toBe(false);
  });
});
