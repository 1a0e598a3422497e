import {
  type BusinessCalendar,
  type OpeningInterval,
  type Pause,
  type Weekday,
  MAX_CONSECUTIVE_CLOSED_DAYS,
  addBusinessMinutes,
  businessMinutesBetween,
  openIntervals,
} from './business-calendar';
import { DEFAULT_CALENDARS } from './calendars';
import { CalendarNeverOpensError, PausedIndefinitelyError } from './sla-domain.errors';

// London is GMT (= UTC) in winter and BST (UTC+1) in summer; expected instants are written in UTC.
const at = (iso: string): Date => new Date(iso);
const iso = (d: Date): string => d.toISOString();

function calendar(
  code: string,
  open: (day: Weekday) => OpeningInterval[],
  holidays: string[] = [],
  zone = 'Europe/London',
): BusinessCalendar {
  return {
    code,
    zone,
    week: { 1: open(1), 2: open(2), 3: open(3), 4: open(4), 5: open(5), 6: open(6), 7: open(7) },
    holidays,
  };
}

const { '24x7': always, gp_core: gpCore, office } = DEFAULT_CALENDARS;
const split = calendar('split', (d) =>
  d <= 5
    ? [
        { open: '13:00', close: '17:00' },
        { open: '08:00', close: '12:00' },
      ]
    : [],
);
const everyDay0800to1830 = calendar('daily-gp', () => [{ open: '08:00', close: '18:30' }]);
const nights = calendar('nights', () => [{ open: '00:00', close: '06:00' }]);
const dstHour = calendar('dst-hour', () => [{ open: '01:30', close: '03:00' }]);
const neverOpen = calendar('never', () => []);

describe('addBusinessMinutes', () => {
  it.each<[string, BusinessCalendar, string, number, string]>([
    ['0 minutes returns start, even when closed', gpCore, '2010-12-25T12:00:00Z', 0, '2010-12-25T12:00:00Z'],
    ['within one day', gpCore, '2010-11-01T09:00:00Z', 60, '2010-11-01T10:00:00Z'],
    ['ends exactly at closing, not next morning', gpCore, '2010-11-01T18:00:00Z', 30, '2010-11-01T18:30:00Z'],
    ['over a night', gpCore, '2010-11-01T18:00:00Z', 60, '2010-11-02T08:30:00Z'],
    ['from before opening', gpCore, '2010-11-01T03:00:00Z', 1, '2010-11-01T08:01:00Z'],
    ['from after closing', gpCore, '2010-11-01T20:00:00Z', 630, '2010-11-02T18:30:00Z'],
    ['over a weekend', gpCore, '2010-11-05T18:00:00Z', 60, '2010-11-08T08:30:00Z'],
    ['from a Saturday', gpCore, '2010-11-06T10:00:00Z', 630, '2010-11-08T18:30:00Z'],
    // Fri 24 Dec 17:00–18:30 = 90; 25/26 weekend; 27/28 substitute bank holidays; Wed 29 08:00 + 30.
    ['Christmas 2010 substitutes', gpCore, '2010-12-24T17:00:00Z', 120, '2010-12-29T08:30:00Z'],
    ['Christmas 2010, office', office, '2010-12-24T16:00:00Z', 120, '2010-12-29T10:00:00Z'],
    // Fri 31 Dec 18:00–18:30 = 30; 1/2 Jan weekend; Mon 3 Jan 2011 New Year substitute; Tue 08:00 + 30.
    ['New Year 2011 substitute', gpCore, '2010-12-31T18:00:00Z', 60, '2011-01-04T08:30:00Z'],
    // Thu 28 Apr 2011 18:00 BST; Fri 29 royal wedding; weekend; Mon 2 May early May; Tue 08:30 BST.
    ['royal wedding 2011', gpCore, '2011-04-28T17:00:00Z', 60, '2011-05-03T07:30:00Z'],
    // Fri 1 Jun 2012 18:00 BST; weekend; Mon 4 Jun spring (moved); Tue 5 Jun jubilee; Wed 08:30 BST.
    ['diamond jubilee 2012', gpCore, '2012-06-01T17:00:00Z', 60, '2012-06-06T07:30:00Z'],
    ['28 May 2012 was a working day', gpCore, '2012-05-25T17:00:00Z', 120, '2012-05-28T08:30:00Z'],
    ['24x7 ignores bank holidays', always, '2010-12-24T17:00:00Z', 1440, '2010-12-25T17:00:00Z'],
    [
      '24x7 over the spring change counts real minutes',
      always,
      '2010-03-27T12:00:00Z',
      1440,
      '2010-03-28T12:00:00Z',
    ],
    [
      '24x7 over the autumn change counts real minutes',
      always,
      '2010-10-30T12:00:00Z',
      1440,
      '2010-10-31T12:00:00Z',
    ],
    ['gp_core over the spring change', gpCore, '2010-03-26T18:00:00Z', 60, '2010-03-29T07:30:00Z'],
    ['gp_core over the autumn change', gpCore, '2010-10-29T17:00:00Z', 60, '2010-11-01T08:30:00Z'],
    ['split day: over lunch', split, '2010-11-01T11:30:00Z', 60, '2010-11-01T13:30:00Z'],
    ['split day: exactly to lunch', split, '2010-11-01T11:30:00Z', 30, '2010-11-01T12:00:00Z'],
    ['split day: from lunch', split, '2010-11-01T12:15:00Z', 1, '2010-11-01T13:01:00Z'],
    ['nights: spring day is 5 h', nights, '2010-03-28T00:00:00Z', 300, '2010-03-28T05:00:00Z'],
    ['nights: after the spring day', nights, '2010-03-28T00:00:00Z', 301, '2010-03-28T23:01:00Z'],
    ['nights: autumn day is 7 h', nights, '2010-10-30T23:00:00Z', 420, '2010-10-31T06:00:00Z'],
    ['fractional minutes are exact to the ms', gpCore, '2010-11-01T09:00:00Z', 0.5, '2010-11-01T09:00:30Z'],
  ])('%s', (_name, cal, start, minutes, expected) => {
    expect(iso(addBusinessMinutes(cal, at(start), minutes))).toBe(iso(at(expected)));
  });

  it('10 business days is cheap', () => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) addBusinessMinutes(office, at('2010-12-20T09:00:00Z'), 10 * 480 + i);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2000);
    expect(iso(addBusinessMinutes(office, at('2010-12-20T09:00:00Z'), 4800))).toBe(
      '2011-01-05T17:00:00.000Z',
    );
  });

  it.each([-1, Number.NaN, Infinity])('rejects %p minutes', (minutes) => {
    expect(() => addBusinessMinutes(gpCore, at('2010-11-01T09:00:00Z'), minutes)).toThrow(RangeError);
  });

  it('rejects an invalid start', () => {
    expect(() => addBusinessMinutes(gpCore, at('nonsense'), 1)).toThrow(RangeError);
  });
});

describe('pauses', () => {
  const friday5pm = at('2010-11-05T17:00:00Z');
  const cases: [string, Pause[], number, string][] = [
    ['none (Fri 17:00–18:30 = 90, Mon 08:00 + 30)', [], 120, '2010-11-08T08:30:00Z'],
    // Fri 17:00–18:00 = 60; paused Fri 18:00 → Mon 09:00 (spans the weekend); Mon 09:00 + 60.
    [
      'across a weekend into Monday',
      [{ from: at('2010-11-05T18:00:00Z'), to: at('2010-11-08T09:00:00Z') }],
      120,
      '2010-11-08T10:00:00Z',
    ],
    [
      'wholly inside closed time: no effect',
      [{ from: at('2010-11-06T00:00:00Z'), to: at('2010-11-08T08:00:00Z') }],
      120,
      '2010-11-08T08:30:00Z',
    ],
    [
      'starting before start',
      [{ from: at('2010-11-05T12:00:00Z'), to: at('2010-11-05T17:30:00Z') }],
      60,
      '2010-11-05T18:30:00Z',
    ],
    [
      'overlapping pauses merge',
      [
        { from: at('2010-11-08T08:00:00Z'), to: at('2010-11-08T10:00:00Z') },
        { from: at('2010-11-08T09:00:00Z'), to: at('2010-11-08T11:00:00Z') },
      ],
      120,
      '2010-11-08T11:30:00Z',
    ],
    [
      'long pause (a month)',
      [{ from: at('2010-11-05T17:30:00Z'), to: at('2010-12-06T08:00:00Z') }],
      60,
      '2010-12-06T08:30:00Z',
    ],
    [
      'open pause starting exactly when the target is reached',
      [{ from: at('2010-11-08T08:30:00Z'), to: null }],
      120,
      '2010-11-08T08:30:00Z',
    ],
  ];

  it.each(cases)('add and between agree: %s', (_name, pauses, minutes, expected) => {
    const due = addBusinessMinutes(gpCore, friday5pm, minutes, pauses);
    expect(iso(due)).toBe(iso(at(expected)));
    expect(businessMinutesBetween(gpCore, friday5pm, due, pauses)).toBe(minutes);
  });

  it('an open pause that swallows the rest throws PausedIndefinitelyError', () => {
    const pauses = [{ from: at('2010-11-05T17:30:00Z'), to: null }];
    expect(() => addBusinessMinutes(gpCore, friday5pm, 60, pauses)).toThrow(PausedIndefinitelyError);
    expect(businessMinutesBetween(gpCore, friday5pm, at('2011-01-01T00:00:00Z'), pauses)).toBe(30);
  });

  it('a pause ending before it starts is a programming error', () => {
    const pauses = [{ from: at('2010-11-05T18:00:00Z'), to: at('2010-11-05T17:00:00Z') }];
    expect(() => businessMinutesBetween(gpCore, friday5pm, at('2010-11-06T00:00:00Z'), pauses)).toThrow(
      RangeError,
    );
  });
});

describe('businessMinutesBetween', () => {
  it.each<[string, BusinessCalendar, string, string, number]>([
    ['empty when to <= from', gpCore, '2010-11-02T10:00:00Z', '2010-11-01T10:00:00Z', 0],
    ['equal bounds', gpCore, '2010-11-01T10:00:00Z', '2010-11-01T10:00:00Z', 0],
    ['one gp_core day', gpCore, '2010-11-01T00:00:00Z', '2010-11-02T00:00:00Z', 630],
    ['one office week', office, '2010-11-01T00:00:00Z', '2010-11-08T00:00:00Z', 2400],
    ['Christmas week 2010: only 29, 30, 31', gpCore, '2010-12-25T00:00:00Z', '2011-01-04T00:00:00Z', 3 * 630],
    [
      'Easter 2010 (Good Friday 2 Apr, Easter Monday 5 Apr)',
      gpCore,
      '2010-04-01T23:00:00Z',
      '2010-04-05T23:00:00Z',
      0,
    ],
    ['split day', split, '2010-11-01T11:00:00Z', '2010-11-01T14:00:00Z', 120],
    ['fractional when not whole minutes', gpCore, '2010-11-01T09:00:00Z', '2010-11-01T09:00:30Z', 0.5],
    ['24x7 spring day is 23 h', always, '2010-03-28T00:00:00Z', '2010-03-28T23:00:00Z', 1380],
    ['24x7 autumn day is 25 h', always, '2010-10-30T23:00:00Z', '2010-11-01T00:00:00Z', 1500],
    [
      '08:00–18:30 on the spring day',
      everyDay0800to1830,
      '2010-03-28T00:00:00Z',
      '2010-03-28T23:00:00Z',
      630,
    ],
    [
      '08:00–18:30 on the autumn day',
      everyDay0800to1830,
      '2010-10-30T23:00:00Z',
      '2010-11-01T00:00:00Z',
      630,
    ],
    ['00:00–06:00 on the spring day', nights, '2010-03-28T00:00:00Z', '2010-03-28T23:00:00Z', 300],
    ['00:00–06:00 on the autumn day', nights, '2010-10-30T23:00:00Z', '2010-11-01T00:00:00Z', 420],
    [
      '01:30–03:00 on the spring day: 02:00–03:00 BST',
      dstHour,
      '2010-03-28T00:00:00Z',
      '2010-03-28T23:00:00Z',
      60,
    ],
    [
      '01:30–03:00 on the autumn day: first 01:30 to 03:00 GMT',
      dstHour,
      '2010-10-30T23:00:00Z',
      '2010-11-01T00:00:00Z',
      150,
    ],
    ['01:30–03:00 on an ordinary day', dstHour, '2010-11-01T00:00:00Z', '2010-11-02T00:00:00Z', 90],
  ])('%s', (_name, cal, from, to, expected) => {
    expect(businessMinutesBetween(cal, at(from), at(to))).toBe(expected);
  });
});

describe('openIntervals', () => {
  const intervals = (cal: BusinessCalendar, from: string, to: string): string[][] =>
    openIntervals(cal, at(from), at(to)).map((i) => [iso(i.start), iso(i.end)]);

  it.each<[string, BusinessCalendar, string, string, [string, string][]]>([
    [
      '24x7 spring day: one 23 h interval',
      always,
      '2010-03-28T00:00:00Z',
      '2010-03-28T23:00:00Z',
      [['2010-03-28T00:00:00Z', '2010-03-28T23:00:00Z']],
    ],
    [
      '24x7 merges days into one interval',
      always,
      '2010-10-30T23:00:00Z',
      '2010-11-02T00:00:00Z',
      [['2010-10-30T23:00:00Z', '2010-11-02T00:00:00Z']],
    ],
    [
      '08:00–18:30 in BST on the spring day',
      everyDay0800to1830,
      '2010-03-28T00:00:00Z',
      '2010-03-28T23:00:00Z',
      [['2010-03-28T07:00:00Z', '2010-03-28T17:30:00Z']],
    ],
    [
      '08:00–18:30 in GMT on the autumn day',
      everyDay0800to1830,
      '2010-10-30T23:00:00Z',
      '2010-11-01T00:00:00Z',
      [['2010-10-31T08:00:00Z', '2010-10-31T18:30:00Z']],
    ],
    [
      '01:30–03:00 on the spring day',
      dstHour,
      '2010-03-28T00:00:00Z',
      '2010-03-28T23:00:00Z',
      [['2010-03-28T01:00:00Z', '2010-03-28T02:00:00Z']],
    ],
    [
      '01:30–03:00 on the autumn day',
      dstHour,
      '2010-10-30T23:00:00Z',
      '2010-11-01T00:00:00Z',
      [['2010-10-31T00:30:00Z', '2010-10-31T03:00:00Z']],
    ],
    [
      'clipped to the range',
      gpCore,
      '2010-11-01T10:00:00Z',
      '2010-11-02T09:00:00Z',
      [
        ['2010-11-01T10:00:00Z', '2010-11-01T18:30:00Z'],
        ['2010-11-02T08:00:00Z', '2010-11-02T09:00:00Z'],
      ],
    ],
    [
      'split day keeps lunch closed',
      split,
      '2010-11-01T00:00:00Z',
      '2010-11-02T00:00:00Z',
      [
        ['2010-11-01T08:00:00Z', '2010-11-01T12:00:00Z'],
        ['2010-11-01T13:00:00Z', '2010-11-01T17:00:00Z'],
      ],
    ],
    [
      'Christmas week 2010, gp_core',
      gpCore,
      '2010-12-24T00:00:00Z',
      '2011-01-04T00:00:00Z',
      [
        ['2010-12-24T08:00:00Z', '2010-12-24T18:30:00Z'],
        ['2010-12-29T08:00:00Z', '2010-12-29T18:30:00Z'],
        ['2010-12-30T08:00:00Z', '2010-12-30T18:30:00Z'],
        ['2010-12-31T08:00:00Z', '2010-12-31T18:30:00Z'],
      ],
    ],
    ['empty range', gpCore, '2010-11-02T00:00:00Z', '2010-11-01T00:00:00Z', []],
  ])('%s', (_name, cal, from, to, expected) => {
    expect(intervals(cal, from, to)).toEqual(expected.map(([s, e]) => [iso(at(s)), iso(at(e))]));
  });
});

describe('calendars that never open', () => {
  it('no open weekday: add throws CalendarNeverOpensError, between and openIntervals are empty', () => {
    expect(() => addBusinessMinutes(neverOpen, at('2010-11-01T00:00:00Z'), 1)).toThrow(
      CalendarNeverOpensError,
    );
    try {
      addBusinessMinutes(neverOpen, at('2010-11-01T00:00:00Z'), 1);
    } catch (error) {
      expect((error as CalendarNeverOpensError).code).toBe('SLA.CALENDAR_NEVER_OPENS');
    }
    expect(businessMinutesBetween(neverOpen, at('2010-01-01T00:00:00Z'), at('2030-01-01T00:00:00Z'))).toBe(0);
    expect(openIntervals(neverOpen, at('2010-01-01T00:00:00Z'), at('2011-01-01T00:00:00Z'))).toEqual([]);
  });

  const mondaysOf = (fromIso: string, weeks: number): string[] =>
    Array.from({ length: weeks }, (_, i) =>
      new Date(Date.parse(fromIso) + i * 7 * 86_400_000).toISOString().slice(0, 10),
    );

  it(`every open day a holiday for more than ${MAX_CONSECUTIVE_CLOSED_DAYS} days: throws instead of looping`, () => {
    const mondaysOnly = calendar(
      'mondays',
      (d) => (d === 1 ? [{ open: '09:00', close: '17:00' }] : []),
      mondaysOf('2020-01-06', 200),
    );
    expect(() => addBusinessMinutes(mondaysOnly, at('2020-01-01T00:00:00Z'), 1)).toThrow(
      CalendarNeverOpensError,
    );
  });

  it('a shorter run of holidays is walked through', () => {
    const mondaysOnly = calendar(
      'mondays',
      (d) => (d === 1 ? [{ open: '09:00', close: '17:00' }] : []),
      mondaysOf('2020-01-06', 52),
    );
    expect(iso(addBusinessMinutes(mondaysOnly, at('2020-01-01T00:00:00Z'), 60))).toBe(
      '2021-01-04T10:00:00.000Z',
    );
  });
});
