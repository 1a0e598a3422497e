import fc from 'fast-check';
import { businessMinutesBetween } from './business-calendar';
import { DEFAULT_CALENDARS } from './calendars';
import type { StatusChange } from './pauses-from-history';
import { type SlaClockInput, computeSlaClock, thresholdInstant } from './sla-clock';
import { defaultSlaTargets, targetFor } from './sla-targets';

const at = (iso: string): Date => new Date(iso);
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

// Integration-level example: a community_health (gp_core) site, P3, reported Friday 24 December 2010 17:00
// Europe/London (GMT, so 17:00Z).
const row = targetFor(defaultSlaTargets(), 'community_health', 'P3');
const gpCore = DEFAULT_CALENDARS.gp_core;
const reportedAt = at('2010-12-24T17:00:00Z');
const reported: StatusChange = { status: 'new', at: reportedAt };

/**
 * Resolution target 3 business days = 3 × 630 = 1890 minutes:
 *   Fri 24 Dec 17:00–18:30            90   (1800 left)
 *   Sat 25, Sun 26                    weekend
 *   Mon 27, Tue 28                    substitute bank holidays (Christmas, Boxing Day)
 *   Wed 29 08:00–18:30               630   (1170 left)
 *   Thu 30 08:00–18:30               630   ( 540 left)
 *   Fri 31 (not a bank holiday) 08:00 + 540 min = 17:00 GMT
 * → due 2010-12-31T17:00:00Z. Warnings: 75 % = 1417.5 min → Fri 31 08:00 + 67.5 = 09:07:30;
 * 90 % = 1701 min → Fri 31 08:00 + 351 = 13:51. Response target 120: 90 on Friday + 30 → Wed 29 08:30.
 */
const resolution = (overrides: Partial<SlaClockInput>): ReturnType<typeof computeSlaClock> =>
  computeSlaClock({
    calendar: gpCore,
    reportedAt,
    targetMinutes: row.resolutionMinutes,
    history: [reported],
    metAt: null,
    now: reportedAt,
    ...overrides,
  });

describe('computeSlaClock — gp_core P3 reported Fri 24 Dec 2010 17:00', () => {
  it('uses the gp_core calendar and 1890 business minutes', () => {
    expect(row).toMatchObject({ calendarCode: 'gp_core', responseMinutes: 120, resolutionMinutes: 1890 });
  });

  it('response is due Wed 29 Dec 08:30', () => {
    const response = resolution({ targetMinutes: row.responseMinutes });
    expect(iso(response.dueAt)).toBe('2010-12-29T08:30:00.000Z');
  });

  it('resolution is due Fri 31 Dec 17:00, first warning 09:07:30', () => {
    const clock = resolution({ now: reportedAt });
    expect(iso(clock.dueAt)).toBe('2010-12-31T17:00:00.000Z');
    expect(clock).toMatchObject({
      paused: false,
      elapsedMinutes: 0,
      remainingMinutes: 1890,
      percentElapsed: 0,
    });
    expect(iso(clock.nextCheckAt)).toBe('2010-12-31T09:07:30.000Z');
  });

  it.each<[string, string, Partial<ReturnType<typeof computeSlaClock>>, string | null]>([
    [
      'mid-way',
      '2010-12-30T12:00:00Z',
      { elapsedMinutes: 960, remainingMinutes: 930, breached: false, crossedThresholds: [] },
      '2010-12-31T09:07:30.000Z',
    ],
    [
      'at the 75 % instant',
      '2010-12-31T09:07:30Z',
      { elapsedMinutes: 1417.5, percentElapsed: 75, crossedThresholds: [0.75] },
      '2010-12-31T13:51:00.000Z',
    ],
    [
      'at the 90 % instant',
      '2010-12-31T13:51:00Z',
      { elapsedMinutes: 1701, crossedThresholds: [0.75, 0.9], breached: false },
      '2010-12-31T17:00:00.000Z',
    ],
    [
      'exactly at due: breached by 0',
      '2010-12-31T17:00:00Z',
      { percentElapsed: 100, breached: true, breachedByMinutes: 0, crossedThresholds: [0.75, 0.9, 1] },
      null,
    ],
    // After due: Fri 17:00–18:30 = 90; Mon 3 Jan 2011 New Year substitute; Tue 08:00–09:00 = 60 → 150 over.
    [
      'after due, over a bank holiday',
      '2011-01-04T09:00:00Z',
      { elapsedMinutes: 2040, remainingMinutes: 0, breached: true, breachedByMinutes: 150 },
      null,
    ],
  ])('running, %s', (_name, now, expected, nextCheckAt) => {
    const clock = resolution({ now: at(now) });
    expect(clock).toMatchObject(expected);
    expect(iso(clock.nextCheckAt)).toBe(nextCheckAt);
  });

  it.each<[string, string, boolean, number, number[]]>([
    ['met early', '2010-12-30T10:00:00Z', false, 840, []],
    ['met exactly at due is in time', '2010-12-31T17:00:00Z', false, 1890, [0.75, 0.9]],
    ['met late', '2011-01-04T09:00:00Z', true, 2040, [0.75, 0.9, 1]],
  ])('%s', (_name, metAt, breached, elapsedMinutes, crossedThresholds) => {
    const clock = resolution({ metAt: at(metAt), now: at('2011-02-01T12:00:00Z') });
    expect(clock).toMatchObject({
      breached,
      elapsedMinutes,
      crossedThresholds,
      paused: false,
      nextCheckAt: null,
    });
    expect(iso(clock.metAt)).toBe(iso(at(metAt)));
    expect(iso(clock.dueAt)).toBe('2010-12-31T17:00:00.000Z');
  });

  it('a closed awaiting_caller pause pushes due back by the paused business time', () => {
    // Paused Wed 29 10:00 → Thu 30 10:00 = 510 + 120 = 630 business minutes: Fri 31 17:00 + 630 =
    // Fri 17:00–18:30 (90) + Mon 3 Jan holiday + Tue 4 Jan 08:00 + 540 = 17:00.
    const history = [
      reported,
      { status: 'awaiting_caller', at: at('2010-12-29T10:00:00Z') },
      { status: 'in_progress', at: at('2010-12-30T10:00:00Z') },
    ];
    const clock = resolution({ history, now: at('2010-12-30T12:00:00Z') });
    expect(iso(clock.dueAt)).toBe('2011-01-04T17:00:00.000Z');
    expect(clock).toMatchObject({ paused: false, elapsedMinutes: 90 + 120 + 120 });
  });

  it('awaiting_supplier does not pause', () => {
    const history = [reported, { status: 'awaiting_supplier', at: at('2010-12-29T10:00:00Z') }];
    const clock = resolution({ history, now: at('2010-12-30T12:00:00Z') });
    expect(iso(clock.dueAt)).toBe('2010-12-31T17:00:00.000Z');
    expect(clock).toMatchObject({ paused: false, elapsedMinutes: 960 });
  });

  it.each<[string, string, string]>([
    // Paused since Wed 10:00; treated as ending now. 10:00–12:00 = 120 → Fri 17:00 + 120 = Tue 4 Jan 08:30.
    ['two hours into the pause', '2010-12-29T12:00:00Z', '2011-01-04T08:30:00.000Z'],
    // 10:00 Wed → 12:00 Thu = 510 + 240 = 750 → Fri 90 + Tue 630 + Wed 5 Jan 08:00 + 30.
    ['a day later, still paused', '2010-12-30T12:00:00Z', '2011-01-05T08:30:00.000Z'],
  ])('an open pause: paused, no next check, due as if it ended now (%s)', (_name, now, dueAt) => {
    const history = [reported, { status: 'awaiting_caller', at: at('2010-12-29T10:00:00Z') }];
    const clock = resolution({ history, now: at(now) });
    expect(clock).toMatchObject({ paused: true, nextCheckAt: null, elapsedMinutes: 210, breached: false });
    expect(iso(clock.dueAt)).toBe(dueAt);
  });

  it('a terminal status without metAt stops the clock', () => {
    const history = [reported, { status: 'cancelled', at: at('2010-12-29T10:00:00Z') }];
    const clock = resolution({ history, now: at('2011-02-01T12:00:00Z') });
    expect(clock).toMatchObject({
      elapsedMinutes: 210,
      nextCheckAt: null,
      breached: false,
      paused: false,
      metAt: null,
    });
  });

  it('ignores history after now', () => {
    const history = [reported, { status: 'awaiting_caller', at: at('2010-12-31T09:00:00Z') }];
    expect(resolution({ history, now: at('2010-12-30T12:00:00Z') })).toMatchObject({
      paused: false,
      elapsedMinutes: 960,
    });
  });
});

describe('computeSlaClock — other cases', () => {
  it('P1 is forced 24x7 even at a gp_core site on Christmas Day', () => {
    const p1 = targetFor(defaultSlaTargets(), 'community_health', 'P1');
    const calendar = DEFAULT_CALENDARS[p1.calendarCode as keyof typeof DEFAULT_CALENDARS];
    const start = at('2010-12-25T03:00:00Z');
    const base = { calendar, reportedAt: start, history: [], metAt: null, now: start };
    expect(iso(computeSlaClock({ ...base, targetMinutes: p1.responseMinutes }).dueAt)).toBe(
      '2010-12-25T03:15:00.000Z',
    );
    expect(iso(computeSlaClock({ ...base, targetMinutes: p1.resolutionMinutes }).dueAt)).toBe(
      '2010-12-25T07:00:00.000Z',
    );
  });

  it('custom thresholds: only those are reported, but the due instant is always a check', () => {
    const before = resolution({ thresholds: [0.5], now: reportedAt });
    expect(iso(before.nextCheckAt)).toBe(iso(thresholdInstant(gpCore, reportedAt, 1890, 0.5)));
    const after = resolution({ thresholds: [0.5], now: at('2010-12-31T12:00:00Z') });
    expect(after.crossedThresholds).toEqual([0.5]);
    expect(iso(after.nextCheckAt)).toBe('2010-12-31T17:00:00.000Z');
  });

  it.each([
    [{ targetMinutes: -1 }],
    [{ targetMinutes: Number.NaN }],
    [{ thresholds: [0] }],
    [{ thresholds: [0.5, Infinity] }],
  ])('rejects %p', (overrides) => {
    expect(() => resolution(overrides)).toThrow(RangeError);
  });

  it('thresholdInstant is the fraction of the target in business time', () => {
    const always = DEFAULT_CALENDARS['24x7'];
    const start = at('2010-10-31T00:00:00Z');
    expect(iso(thresholdInstant(always, start, 240, 0.75))).toBe('2010-10-31T03:00:00.000Z');
    expect(
      iso(thresholdInstant(always, start, 240, 1, [{ from: start, to: at('2010-10-31T01:00:00Z') }])),
    ).toBe('2010-10-31T05:00:00.000Z');
    expect(iso(thresholdInstant(gpCore, reportedAt, 1890, 0.9))).toBe('2010-12-31T13:51:00.000Z');
  });
});

describe('computeSlaClock properties', () => {
  const STATUSES = ['assigned', 'in_progress', 'awaiting_caller', 'awaiting_supplier', 'resolved'];
  const scenario = fc.record({
    calendar: fc.constantFrom(DEFAULT_CALENDARS['24x7'], DEFAULT_CALENDARS.gp_core, DEFAULT_CALENDARS.office),
    reportedMs: fc.integer({ min: Date.UTC(2009, 0, 1), max: Date.UTC(2030, 0, 1) }),
    targetMinutes: fc.constantFrom(15, 30, 120, 240, 480, 630, 1890, 4800),
    changes: fc.array(
      fc.record({
        status: fc.constantFrom(...STATUSES),
        after: fc.integer({ min: 0, max: 20 * 86_400_000 }),
      }),
      { maxLength: 5 },
    ),
    nowAfter: fc.integer({ min: 0, max: 30 * 86_400_000 }),
  });

  it('nextCheckAt is in the future, and at that instant a new level is reached', () => {
    fc.assert(
      fc.property(scenario, ({ calendar, reportedMs, targetMinutes, changes, nowAfter }) => {
        const now = new Date(reportedMs + nowAfter);
        const history = [
          { status: 'new', at: new Date(reportedMs) },
          ...changes.map((c) => ({ status: c.status, at: new Date(reportedMs + c.after) })),
        ].filter((c) => c.at.getTime() <= now.getTime());
        const input = {
          calendar,
          reportedAt: new Date(reportedMs),
          targetMinutes,
          history,
          metAt: null,
          now,
        };
        const clock = computeSlaClock(input);
        expect(clock.breached).toBe(clock.crossedThresholds.includes(1));
        if (!clock.breached)
          expect(clock.elapsedMinutes + clock.remainingMinutes).toBeCloseTo(targetMinutes, 9);
        expect((clock.percentElapsed * targetMinutes) / 100).toBeCloseTo(clock.elapsedMinutes, 6);
        if (clock.nextCheckAt === null) return;
        expect(clock.paused).toBe(false);
        expect(clock.nextCheckAt.getTime()).toBeGreaterThan(now.getTime());
        const later = computeSlaClock({ ...input, now: clock.nextCheckAt });
        expect(later.crossedThresholds.length + Number(later.breached)).toBeGreaterThan(
          clock.crossedThresholds.length + Number(clock.breached),
        );
        expect(later.elapsedMinutes - clock.elapsedMinutes).toBeCloseTo(
          businessMinutesBetween(calendar, now, clock.nextCheckAt),
          9,
        );
      }),
      { numRuns: 200 },
    );
  });
});
