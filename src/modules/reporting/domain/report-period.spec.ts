import { isPeriodProblem, monthPeriod, reportPeriod, trailingMonths, wholeMonths } from './report-period';

describe('reportPeriod', () => {
  const now = new Date('2026-10-15T12:00:00Z');

  it.each([
    // [query, from, to, start, end]
    [{}, '2026-10-01', '2026-10-31', '2026-09-30T23:00:00.000Z', '2026-11-01T00:00:00.000Z'],
    [
      { from: '2026-03-01', to: '2026-03-31' },
      '2026-03-01',
      '2026-03-31',
      '2026-03-01T00:00:00.000Z',
      '2026-03-31T23:00:00.000Z',
    ],
    [
      { from: '2026-06-10' },
      '2026-06-10',
      '2026-06-30',
      '2026-06-09T23:00:00.000Z',
      '2026-06-30T23:00:00.000Z',
    ],
    [
      { to: '2026-02-10' },
      '2026-02-01',
      '2026-02-10',
      '2026-02-01T00:00:00.000Z',
      '2026-02-11T00:00:00.000Z',
    ],
    [
      { from: '2026-10-25', to: '2026-10-25' },
      '2026-10-25',
      '2026-10-25',
      '2026-10-24T23:00:00.000Z',
      '2026-10-26T00:00:00.000Z',
    ],
  ])('%j covers %s..%s = [%s, %s)', (query, from, to, start, end) => {
    const p = reportPeriod(query, now);
    expect(p).toEqual({ from, to, start: new Date(start), end: new Date(end) });
  });

  it.each([
    [{ from: '2026-13-01' }, 'from'],
    [{ from: '1 May' }, 'from'],
    [{ to: '2026-02-30' }, 'to'],
    [{ from: '2026-05-02', to: '2026-05-01' }, 'to'],
    [{ from: '2020-01-01', to: '2026-01-01' }, 'to'],
  ])('%j is refused on %s', (query, field) => {
    const p = reportPeriod(query, now);
    expect(isPeriodProblem(p) && p.field).toBe(field);
  });

  it('a month is its first to its last day', () => {
    expect(monthPeriod('2026-10')).toEqual({
      from: '2026-10-01',
      to: '2026-10-31',
      start: new Date('2026-09-30T23:00:00Z'),
      end: new Date('2026-11-01T00:00:00Z'),
    });
    expect(isPeriodProblem(monthPeriod('2026-1'))).toBe(true);
  });
});

describe('trailingMonths', () => {
  it('gives the twelve months ending with the period, across a year end', () => {
    const p = monthPeriod('2026-02');
    if (isPeriodProblem(p)) throw new Error('bad month');
    const t = trailingMonths(p, 12);
    expect(t.months[0]).toBe('2025-03');
    expect(t.months[11]).toBe('2026-02');
    expect(t.start).toEqual(new Date('2025-03-01T00:00:00Z'));
    expect(t.end).toEqual(new Date('2026-03-01T00:00:00Z'));
  });
});

describe('wholeMonths', () => {
  const months = (from: string, to: string) => {
    const p = reportPeriod({ from, to }, new Date('2026-12-06T12:00:00Z'));
    if (isPeriodProblem(p)) throw new Error(p.reason);
    return wholeMonths(p);
  };

  it('lists the months of a period from the first of one to the last day of another, across a year end', () => {
    expect(months('2025-12-01', '2026-11-30')).toHaveLength(12);
    expect(months('2025-11-01', '2026-02-28')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(months('2026-03-01', '2026-03-31')).toEqual(['2026-03']);
  });

  it('is null for a period that starts or ends inside a month', () => {
    expect(months('2026-03-02', '2026-04-30')).toBeNull();
    expect(months('2026-03-01', '2026-04-29')).toBeNull();
    expect(months('2024-02-01', '2024-02-28')).toBeNull(); // 2024 is a leap year
  });
});
