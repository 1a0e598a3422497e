import fc from 'fast-check';
import { IANAZone } from 'luxon';
import {
  type BusinessCalendar,
  type OpeningInterval,
  type Pause,
  type Weekday,
  addBusinessMilliseconds,
  addBusinessMinutes,
  businessMillisecondsBetween,
  businessMinutesBetween,
  openIntervals,
} from './business-calendar';
import { DEFAULT_CALENDARS } from './calendars';
import { MS_PER_DAY, MS_PER_MINUTE, dayOfIsoDate, isoDateOfDay, weekdayOfDay } from './zoned-time';

const RUNS = { numRuns: 200 };
const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];
const FROM_2009 = Date.UTC(2009, 0, 1);
const TO_2030 = Date.UTC(2030, 6, 1);

const hhmm = (quarter: number): string =>
  `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;

/** A day's intervals from a set of quarter-hour boundaries (0..96), paired in order. */
const dayArb = (allowed: (quarter: number) => boolean): fc.Arbitrary<OpeningInterval[]> =>
  fc.uniqueArray(fc.integer({ min: 0, max: 96 }).filter(allowed), { maxLength: 6 }).map((qs) => {
    const sorted = [...qs].sort((a, b) => a - b);
    const out: OpeningInterval[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2)
      out.push({ open: hhmm(sorted[i]), close: hhmm(sorted[i + 1]) });
    return out;
  });

const holidaysArb = fc
  .array(
    fc.integer({ min: dayOfIsoDate('2009-01-01') as number, max: dayOfIsoDate('2031-12-31') as number }),
    {
      maxLength: 40,
    },
  )
  .map((days) => days.map(isoDateOfDay));

const randomCalendarArb = (
  zones: string[],
  allowed: (quarter: number) => boolean,
): fc.Arbitrary<BusinessCalendar> =>
  fc
    .record({
      zone: fc.constantFrom(...zones),
      days: fc.tuple(...WEEKDAYS.map(() => dayArb(allowed))),
      holidays: holidaysArb,
    })
    .filter(({ days }) => days.some((d) => d.length > 0))
    .map(({ zone, days, holidays }) => ({
      code: 'random',
      zone,
      week: { 1: days[0], 2: days[1], 3: days[2], 4: days[3], 5: days[4], 6: days[5], 7: days[6] },
      holidays,
    }));

const split: BusinessCalendar = {
  code: 'split',
  zone: 'Europe/London',
  week: {
    ...DEFAULT_CALENDARS.office.week,
    1: [
      { open: '08:00', close: '12:00' },
      { open: '13:00', close: '17:00' },
    ],
    6: [{ open: '00:30', close: '02:30' }], // Saturday night across the clock-change hour
    7: [
      { open: '01:00', close: '01:45' },
      { open: '22:00', close: '24:00' },
    ],
  },
  holidays: DEFAULT_CALENDARS.office.holidays,
};

const calendarArb: fc.Arbitrary<BusinessCalendar> = fc.oneof(
  fc.constantFrom(DEFAULT_CALENDARS['24x7'], DEFAULT_CALENDARS.gp_core, DEFAULT_CALENDARS.office, split),
  randomCalendarArb(
    [
      'Europe/London',
      'America/New_York',
      'America/Sao_Paulo',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
      'Pacific/Chatham',
      'UTC',
    ],
    () => true,
  ),
);

/** Last Sunday of March / October at 01:00 UTC: the EU clock changes. */
const lastSunday = (year: number, month: number): number => {
  let t = Date.UTC(year, month + 1, 0, 1);
  while (new Date(t).getUTCDay() !== 0) t -= MS_PER_DAY;
  return t;
};

const instantArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: FROM_2009, max: TO_2030 }),
  fc
    .record({
      year: fc.integer({ min: 2009, max: 2030 }),
      month: fc.constantFrom(2, 9),
      offset: fc.integer({ min: -3 * MS_PER_DAY, max: 3 * MS_PER_DAY }),
    })
    .map(({ year, month, offset }) => lastSunday(year, month) + offset),
  fc.integer({ min: FROM_2009 / MS_PER_MINUTE, max: TO_2030 / MS_PER_MINUTE }).map((m) => m * MS_PER_MINUTE),
);

const pausesArb = (start: number): fc.Arbitrary<Pause[]> =>
  fc.array(
    fc
      .record({
        offset: fc.integer({ min: -2 * MS_PER_DAY, max: 14 * MS_PER_DAY }),
        length: fc.integer({ min: 1, max: 3 * MS_PER_DAY }),
      })
      .map(({ offset, length }) => ({
        from: new Date(start + offset),
        to: new Date(start + offset + length),
      })),
    { maxLength: 3 },
  );

const weeklyOpenMinutes = (c: BusinessCalendar): number =>
  WEEKDAYS.reduce(
    (sum, d) =>
      sum +
      c.week[d].reduce((s, i) => {
        const [oh, om] = i.open.split(':').map(Number);
        const [ch, cm] = i.close.split(':').map(Number);
        return s + ch * 60 + cm - oh * 60 - om;
      }, 0),
    0,
  );

/** Calendar, start, pauses, and two business-minute amounts sized to the calendar (≈ up to 2 weeks of open time). */
const scenarioArb = calendarArb.chain((calendar) => {
  const max = Math.max(1, Math.min(20_000, 2 * weeklyOpenMinutes(calendar)));
  return instantArb.chain((start) =>
    fc.record({
      calendar: fc.constant(calendar),
      start: fc.constant(new Date(start)),
      pauses: pausesArb(start),
      a: fc.integer({ min: 0, max }),
      b: fc.integer({ min: 0, max }),
    }),
  );
});

describe('business time properties', () => {
  it('between(t, add(t, m)) === m', () => {
    fc.assert(
      fc.property(scenarioArb, ({ calendar, start, pauses, a }) => {
        const due = addBusinessMinutes(calendar, start, a, pauses);
        expect(businessMinutesBetween(calendar, start, due, pauses)).toBe(a);
      }),
      RUNS,
    );
  });

  it('add(add(t, a), b) === add(t, a + b)', () => {
    fc.assert(
      fc.property(scenarioArb, ({ calendar, start, pauses, a, b }) => {
        const stepwise = addBusinessMinutes(
          calendar,
          addBusinessMinutes(calendar, start, a, pauses),
          b,
          pauses,
        );
        expect(stepwise.getTime()).toBe(addBusinessMinutes(calendar, start, a + b, pauses).getTime());
      }),
      RUNS,
    );
  });

  it('for m > 0 the result is never inside closed or paused time: the millisecond before it is open', () => {
    fc.assert(
      fc.property(scenarioArb, ({ calendar, start, pauses, a }) => {
        fc.pre(a > 0);
        const due = addBusinessMinutes(calendar, start, a, pauses);
        expect(due.getTime()).toBeGreaterThan(start.getTime());
        expect(businessMillisecondsBetween(calendar, new Date(due.getTime() - 1), due, pauses)).toBe(1);
        const inside = openIntervals(calendar, new Date(due.getTime() - 1), due);
        expect(inside).toHaveLength(1);
      }),
      RUNS,
    );
  });

  it('is strictly monotonic in m', () => {
    fc.assert(
      fc.property(scenarioArb, ({ calendar, start, pauses, a, b }) => {
        fc.pre(a !== b);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(addBusinessMinutes(calendar, start, lo, pauses).getTime()).toBeLessThan(
          addBusinessMinutes(calendar, start, hi, pauses).getTime(),
        );
      }),
      RUNS,
    );
  });

  it('between is additive over adjacent ranges and never exceeds wall time', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.integer({ min: 0, max: 10 * MS_PER_DAY }),
        fc.integer({ min: 0, max: 10 * MS_PER_DAY }),
        ({ calendar, start, pauses }, d1, d2) => {
          const mid = new Date(start.getTime() + d1);
          const end = new Date(mid.getTime() + d2);
          const whole = businessMillisecondsBetween(calendar, start, end, pauses);
          expect(
            businessMillisecondsBetween(calendar, start, mid, pauses) +
              businessMillisecondsBetween(calendar, mid, end, pauses),
          ).toBe(whole);
          expect(whole).toBeLessThanOrEqual(d1 + d2);
        },
      ),
      RUNS,
    );
  });

  it('openIntervals are ordered, disjoint, non-touching, inside the range and sum to between', () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.integer({ min: 0, max: 10 * MS_PER_DAY }),
        (calendar, from, length) => {
          const intervals = openIntervals(calendar, new Date(from), new Date(from + length));
          let previousEnd = -Infinity;
          let total = 0;
          for (const { start, end } of intervals) {
            expect(start.getTime()).toBeGreaterThan(previousEnd);
            expect(end.getTime()).toBeGreaterThan(start.getTime());
            previousEnd = end.getTime();
            total += end.getTime() - start.getTime();
          }
          if (intervals.length > 0) {
            expect(intervals[0].start.getTime()).toBeGreaterThanOrEqual(from);
            expect(previousEnd).toBeLessThanOrEqual(from + length);
          }
          expect(total).toBe(businessMillisecondsBetween(calendar, new Date(from), new Date(from + length)));
        },
      ),
      RUNS,
    );
  });

  it('24x7 without pauses counts every real minute, across both clock changes', () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 0, max: 30 * MS_PER_DAY }), (from, length) => {
        const always = DEFAULT_CALENDARS['24x7'];
        expect(businessMillisecondsBetween(always, new Date(from), new Date(from + length))).toBe(length);
        expect(addBusinessMilliseconds(always, new Date(from), length).getTime()).toBe(from + length);
      }),
      RUNS,
    );
  });

  // The oracle asks, for each quarter hour, whether the London wall clock then reads an open time. That is our
  // semantics exactly, except for a boundary inside the repeated autumn hour (01:00–02:00 happens twice; we use
  // its first occurrence, the oracle would reopen in the second), so:
  // - any date, boundaries outside (01:00, 02:00);
  // - spring only (no repeated hour), boundaries anywhere, including inside the skipped hour.
  const london = IANAZone.create('Europe/London');
  const springArb = fc
    .record({
      year: fc.integer({ min: 2009, max: 2030 }),
      offset: fc.integer({ min: -3 * MS_PER_DAY, max: MS_PER_DAY }),
    })
    .map(({ year, offset }) => lastSunday(year, 2) + offset);
  it.each<[string, fc.Arbitrary<BusinessCalendar>, fc.Arbitrary<number>]>([
    [
      'any date, boundaries outside the repeated hour',
      randomCalendarArb(['Europe/London'], (q) => q <= 4 || q >= 8),
      instantArb,
    ],
    ['spring clock change, any boundaries', randomCalendarArb(['Europe/London'], () => true), springArb],
  ])('matches a brute-force quarter-hour oracle in Europe/London: %s', (_name, londonArb, fromArb) => {
    const QUARTER = 15 * MS_PER_MINUTE;
    fc.assert(
      fc.property(londonArb, fromArb, fc.integer({ min: 0, max: 3 * 96 }), (calendar, rawFrom, quarters) => {
        const from = Math.floor(rawFrom / QUARTER) * QUARTER;
        const holidays = new Set(calendar.holidays);
        let expected = 0;
        for (let i = 0; i < quarters; i++) {
          const u = from + i * QUARTER;
          const reading = u + london.offset(u) * MS_PER_MINUTE;
          const day = Math.floor(reading / MS_PER_DAY);
          const minute = (reading - day * MS_PER_DAY) / MS_PER_MINUTE;
          const open =
            !holidays.has(isoDateOfDay(day)) &&
            calendar.week[weekdayOfDay(day)].some((iv) => {
              const [oh, om] = iv.open.split(':').map(Number);
              const [ch, cm] = iv.close.split(':').map(Number);
              return oh * 60 + om <= minute && minute < ch * 60 + cm;
            });
          if (open) expected += 15;
        }
        expect(businessMinutesBetween(calendar, new Date(from), new Date(from + quarters * QUARTER))).toBe(
          expected,
        );
      }),
      RUNS,
    );
  });
});
