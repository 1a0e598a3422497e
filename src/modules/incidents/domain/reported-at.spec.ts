import { IncidentDomainError } from './incident-errors';
import { decideReportedAt } from './reported-at';

const NOW = new Date('2012-03-25T00:30:00.000Z');
const offset = (ms: number) => new Date(NOW.getTime() + ms);

describe('decideReportedAt', () => {
  it('uses now when nothing is requested', () => {
    expect(decideReportedAt(undefined, NOW)).toBe(NOW);
  });

  it.each([
    ['now itself', offset(0)],
    ['a second ago', offset(-1000)],
    ['three days ago', offset(-3 * 24 * 3600 * 1000)],
  ])('keeps a past time: %s', (_case, requested) => {
    expect(decideReportedAt(requested, NOW)).toBe(requested);
  });

  it.each([
    ['1 ms ahead', 1],
    ['30 s ahead', 30_000],
    ['exactly the skew ahead', 60_000],
  ])('takes now for a time within the clock skew: %s', (_case, ms) => {
    expect(decideReportedAt(offset(ms), NOW)).toBe(NOW);
  });

  it.each([
    ['1 ms beyond the skew', 60_001],
    ['an hour ahead', 3_600_000],
  ])('refuses a future time: %s', (_case, ms) => {
    const requested = offset(ms);
    expect(() => decideReportedAt(requested, NOW)).toThrow(IncidentDomainError);
    try {
      decideReportedAt(requested, NOW);
    } catch (error) {
      expect(error).toMatchObject({
        code: 'INCIDENT.REPORTED_AT_IN_FUTURE',
        details: { reportedAt: requested.toISOString(), now: NOW.toISOString(), maxSkewMs: 60_000 },
      });
    }
  });

  it('honours a custom skew, including zero', () => {
    expect(decideReportedAt(offset(5_000), NOW, 10_000)).toBe(NOW);
    expect(() => decideReportedAt(offset(10_001), NOW, 10_000)).toThrow(IncidentDomainError);
    expect(decideReportedAt(offset(0), NOW, 0)).toEqual(NOW);
    expect(() => decideReportedAt(offset(1), NOW, 0)).toThrow(IncidentDomainError);
  });

  it('throws RangeError for invalid dates or skew', () => {
    expect(() => decideReportedAt(new Date(Number.NaN), NOW)).toThrow(RangeError);
    expect(() => decideReportedAt(undefined, new Date(Number.NaN))).toThrow(RangeError);
    expect(() => decideReportedAt(undefined, NOW, -1)).toThrow(RangeError);
  });
});
