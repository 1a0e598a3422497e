import {
  type BusinessCalendar,
  type OpeningInterval,
  type Weekday,
  businessMinutesBetween,
  openIntervals,
} from './business-calendar';
import { DEFAULT_CALENDARS } from './calendars';
import { assertValidCalendar, parseHhMm } from './calendar-validation';
import { InvalidCalendarError } from './sla-domain.errors';

const at = (iso: string): Date => new Date(iso);

function calendar(code: string, open: (day: Weekday) => OpeningInterval[]): BusinessCalendar {
  return {
    code,
    zone: 'Europe/London',
    week: { 1: open(1), 2: open(2), 3: open(3), 4: open(4), 5: open(5), 6: open(6), 7: open(7) },
    holidays: [],
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
const nights = calendar('nights', () => [
  { open: '00:00', close: '06:00' },
  { open: '22:00', close: '24:00' },
]);
const neverOpen = calendar('never', () => []);

describe('parseHhMm', () => {
  it.each<[string, boolean, number | null]>([
    ['00:00', false, 0],
    ['08:30', false, 510],
    ['23:59', false, 1439],
    ['24:00', true, 1440],
    ['24:00', false, null],
    ['24:01', true, null],
    ['8:30', false, null],
    ['08:3', false, null],
    ['12:60', false, null],
    ['', false, null],
  ])('%p (end of day allowed: %p) → %p', (value, allowEndOfDay, expected) => {
    expect(parseHhMm(value, allowEndOfDay)).toBe(expected);
  });
});

describe('assertValidCalendar', () => {
  it.each([always, gpCore, office, split, nights, neverOpen])('accepts $code', (cal) => {
    expect(() => assertValidCalendar(cal)).not.toThrow();
  });

  it('accepts touching intervals', () => {
    const touching = calendar('touching', () => [
      { open: '08:00', close: '12:00' },
      { open: '12:00', close: '13:00' },
    ]);
    expect(() => assertValidCalendar(touching)).not.toThrow();
    expect(openIntervals(touching, at('2010-11-01T00:00:00Z'), at('2010-11-02T00:00:00Z'))).toHaveLength(1);
  });

  const withMonday = (intervals: OpeningInterval[]): BusinessCalendar =>
    calendar('bad', (d) => (d === 1 ? intervals : []));
  it.each<[string, BusinessCalendar, string]>([
    ['bad zone', { ...gpCore, zone: 'Europe/Londinium' }, 'zone "Europe/Londinium"'],
    ['empty code', { ...gpCore, code: ' ' }, 'code'],
    ['H:mm', withMonday([{ open: '8:00', close: '18:00' }]), 'open "8:00"'],
    ['hour 25', withMonday([{ open: '08:00', close: '25:00' }]), 'close "25:00"'],
    ['minute 60', withMonday([{ open: '08:60', close: '18:00' }]), 'open "08:60"'],
    ['24:00 as an opening time', withMonday([{ open: '24:00', close: '24:00' }]), 'open "24:00"'],
    ['inverted', withMonday([{ open: '18:00', close: '08:00' }]), 'inverted'],
    ['empty interval', withMonday([{ open: '08:00', close: '08:00' }]), 'inverted or empty'],
    [
      'overlap',
      withMonday([
        { open: '13:00', close: '17:00' },
        { open: '08:00', close: '13:30' },
      ]),
      'overlapping',
    ],
    ['bad holiday', { ...gpCore, holidays: ['2010-02-30'] }, 'holiday "2010-02-30"'],
    [
      'missing weekday',
      { ...gpCore, week: { ...gpCore.week, 7: undefined as unknown as OpeningInterval[] } },
      'week[7]',
    ],
  ])('rejects %s', (_name, cal, fragment) => {
    expect(() => assertValidCalendar(cal)).toThrow(InvalidCalendarError);
    expect(() => assertValidCalendar(cal)).toThrow(fragment);
    expect(() => businessMinutesBetween(cal, at('2010-11-01T00:00:00Z'), at('2010-11-02T00:00:00Z'))).toThrow(
      expect.objectContaining({ code: 'SLA.INVALID_CALENDAR' }),
    );
  });

  it('names every problem at once', () => {
    const bad = { ...withMonday([{ open: '18:00', close: '08:00' }]), zone: 'Nowhere' };
    expect(() => assertValidCalendar(bad)).toThrow(
      expect.objectContaining({
        problems: expect.arrayContaining([
          expect.stringContaining('zone'),
          expect.stringContaining('inverted'),
        ]),
      }),
    );
  });
});
