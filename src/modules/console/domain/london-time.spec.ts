import { formatDateTime, formatDuration, formatShortDateTime } from './london-time';

describe('desk time formatting', () => {
  it.each([
    ['winter (GMT)', '2010-12-24T17:00:00Z', 'Fri 24 Dec 2010, 17:00'],
    ['summer (BST)', '2026-07-01T08:05:00Z', 'Wed 1 Jul 2026, 09:05'],
    ['the spring-forward day', '2010-03-28T01:30:00Z', 'Sun 28 Mar 2010, 02:30'],
    ['the autumn day, second 01:30', '2010-10-31T01:30:00Z', 'Sun 31 Oct 2010, 01:30'],
    ['midnight is 00:00, not 24:00 or 12 am', '2026-01-05T00:00:00Z', 'Mon 5 Jan 2026, 00:00'],
  ])('%s', (_, iso, expected) => {
    expect(formatDateTime(new Date(iso))).toBe(expected);
  });

  it('shortens to the time today and drops the year within the year', () => {
    const now = new Date('2026-07-01T12:00:00Z');
    expect(formatShortDateTime('2026-07-01T08:05:00Z', now)).toBe('09:05');
    expect(formatShortDateTime('2026-06-30T22:30:00Z', now)).toBe('30 Jun, 23:30');
    expect(formatShortDateTime('2025-12-31T23:30:00Z', now)).toBe('31 Dec 2025, 23:30');
  });

  it.each([
    [0, '0 s'],
    [45_000, '45 s'],
    [750_000, '12 m 30 s'],
    [3 * 3600_000 + 5 * 60_000 + 59_000, '3 h 05 m'],
    [(2 * 24 + 4) * 3600_000, '2 d 4 h'],
    [-750_000, '12 m 30 s'],
  ])('%d ms → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});
