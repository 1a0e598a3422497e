import { closedPeriod, cronPattern, nextRunAt, scheduleProblem, type Schedule } from './report-schedule';
import { recipientRefusal } from './recipient-scope';

const monthly = (dayOfMonth: number, timeOfDay: string): Schedule => ({
  frequency: 'monthly',
  dayOfWeek: null,
  dayOfMonth,
  timeOfDay,
});
const weekly = (dayOfWeek: number, timeOfDay: string): Schedule => ({
  frequency: 'weekly',
  dayOfWeek,
  dayOfMonth: null,
  timeOfDay,
});

describe('closedPeriod', () => {
  // [frequency, now (UTC), from, to, start (UTC), end (UTC)], worked out by hand from the UK clock changes:
  // BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
  it.each([
    // 1 April 2027 08:00 BST: March, which lost an hour on Sunday 28 March.
    [
      'monthly',
      '2027-04-01T07:00:00Z',
      '2027-03-01',
      '2027-03-31',
      '2027-03-01T00:00:00Z',
      '2027-03-31T23:00:00Z',
    ],
    // 1 November 2026 08:00 GMT: October, which gained an hour on Sunday 25 October.
    [
      'monthly',
      '2026-11-01T08:00:00Z',
      '2026-10-01',
      '2026-10-31',
      '2026-09-30T23:00:00Z',
      '2026-11-01T00:00:00Z',
    ],
    // 1 January 00:30 GMT: December of the year before.
    [
      'monthly',
      '2027-01-01T00:30:00Z',
      '2026-12-01',
      '2026-12-31',
      '2026-12-01T00:00:00Z',
      '2027-01-01T00:00:00Z',
    ],
    // 00:30 BST on 1 May is still 30 April in UTC: the month just closed is April, not March.
    [
      'monthly',
      '2027-04-30T23:30:00Z',
      '2027-04-01',
      '2027-04-30',
      '2027-03-31T23:00:00Z',
      '2027-04-30T23:00:00Z',
    ],
    // Leap February.
    [
      'monthly',
      '2028-03-15T12:00:00Z',
      '2028-02-01',
      '2028-02-29',
      '2028-02-01T00:00:00Z',
      '2028-03-01T00:00:00Z',
    ],
    // Monday 29 March 2027 08:00 BST: the week Mon 22 - Sun 28 March, 167 hours long.
    [
      'weekly',
      '2027-03-29T07:00:00Z',
      '2027-03-22',
      '2027-03-28',
      '2027-03-22T00:00:00Z',
      '2027-03-28T23:00:00Z',
    ],
    // Monday 26 October 2026 09:00 GMT: the week Mon 19 - Sun 25 October, 169 hours long.
    [
      'weekly',
      '2026-10-26T09:00:00Z',
      '2026-10-19',
      '2026-10-25',
      '2026-10-18T23:00:00Z',
      '2026-10-26T00:00:00Z',
    ],
    // Sunday 23:30 BST: that week is not over yet, so the one before.
    [
      'weekly',
      '2027-06-13T22:30:00Z',
      '2027-05-31',
      '2027-06-06',
      '2027-05-30T23:00:00Z',
      '2027-06-06T23:00:00Z',
    ],
  ] as const)('%s at %s → %s..%s', (frequency, now, from, to, start, end) => {
    const p = closedPeriod(frequency, new Date(now));
    expect(p).toEqual({ from, to, start: new Date(start), end: new Date(end) });
  });
});

describe('nextRunAt', () => {
  it.each([
    // Monthly on the 1st at 08:00: GMT in March, BST in April (the clocks went forward on 28 March 2027).
    [monthly(1, '08:00'), '2027-03-01T08:00:00Z', '2027-04-01T07:00:00Z'],
    [monthly(1, '08:00'), '2027-02-15T00:00:00Z', '2027-03-01T08:00:00Z'],
    // ... and back to GMT after 25 October 2026.
    [monthly(1, '08:00'), '2026-10-01T07:00:00Z', '2026-11-01T08:00:00Z'],
    [monthly(28, '23:30'), '2027-02-28T23:30:00Z', '2027-03-28T22:30:00Z'],
    // Weekly on Sunday at 07:00, on the clock-change Sundays themselves.
    [weekly(7, '07:00'), '2027-03-22T00:00:00Z', '2027-03-28T06:00:00Z'],
    [weekly(7, '07:00'), '2026-10-19T00:00:00Z', '2026-10-25T07:00:00Z'],
    // Weekly on Monday at 00:00: exactly at a run, the next is a week on.
    [weekly(1, '00:00'), '2027-01-04T00:00:00Z', '2027-01-11T00:00:00Z'],
  ] as const)('%j after %s → %s', (schedule, after, next) => {
    expect(nextRunAt(schedule, new Date(after))).toEqual(new Date(next));
  });
});

describe('cronPattern and scheduleProblem', () => {
  it('writes minute, hour, day of month and day of week (Sunday as 0)', () => {
    expect(cronPattern(monthly(1, '08:00'))).toBe('0 8 1 * *');
    expect(cronPattern(weekly(7, '18:45'))).toBe('45 18 * * 0');
    expect(cronPattern(weekly(1, '00:05'))).toBe('5 0 * * 1');
  });

  it.each([
    [monthly(1, '8:00'), 'timeOfDay'],
    [monthly(1, '24:00'), 'timeOfDay'],
    [monthly(1, '01:30'), 'timeOfDay'],
    [monthly(29, '08:00'), 'dayOfMonth'],
    [monthly(0, '08:00'), 'dayOfMonth'],
    [{ ...monthly(1, '08:00'), dayOfWeek: 2 }, 'dayOfWeek'],
    [{ ...weekly(1, '08:00'), dayOfWeek: null }, 'dayOfWeek'],
    [weekly(8, '08:00'), 'dayOfWeek'],
    [{ ...weekly(1, '08:00'), dayOfMonth: 3 }, 'dayOfMonth'],
  ] as const)('refuses %j (%s)', (schedule, field) => {
    expect(scheduleProblem(schedule)).toMatchObject({ field });
  });

  it('accepts a weekly and a monthly schedule', () => {
    expect(scheduleProblem(weekly(5, '17:00'))).toBeNull();
    expect(scheduleProblem(monthly(28, '00:00'))).toBeNull();
  });
});

describe('recipientRefusal', () => {
  const T1 = 'trust-1';
  it.each([
    [null, T1, 'recipient_missing'],
    [{ active: false, role: 'desk_manager', trustId: null }, T1, 'recipient_disabled'],
    [{ active: true, role: 'agent', trustId: null }, T1, 'recipient_role'],
    [{ active: true, role: 'supplier', trustId: null }, null, 'recipient_role'],
    [{ active: true, role: 'trust_manager', trustId: 'trust-2' }, T1, 'recipient_trust'],
    [{ active: true, role: 'trust_manager', trustId: T1 }, null, 'recipient_trust'],
    [{ active: true, role: 'trust_manager', trustId: T1 }, T1, null],
    [{ active: true, role: 'desk_manager', trustId: null }, null, null],
    [{ active: true, role: 'admin', trustId: null }, T1, null],
  ] as const)('%j for trust %s → %s', (recipient, trustId, expected) => {
    expect(recipientRefusal(recipient, trustId)).toBe(expected);
  });
});
