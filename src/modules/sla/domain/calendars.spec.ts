import { type BusinessCalendar, assertValidCalendar, businessMinutesBetween } from './business-calendar';
import { bankHolidayDates } from './bank-holidays';
import {
  DEFAULT_CALENDARS,
  DEFAULT_CALENDAR_CODES,
  buildDefaultCalendars,
  openMinutesPerNormalDay,
} from './calendars';
import { CalendarNeverOpensError, InvalidCalendarError } from './sla-domain.errors';

describe('DEFAULT_CALENDARS', () => {
  it.each(DEFAULT_CALENDAR_CODES)('%s is a valid Europe/London calendar keyed by its code', (code) => {
    const calendar = DEFAULT_CALENDARS[code];
    expect(calendar.code).toBe(code);
    expect(calendar.zone).toBe('Europe/London');
    expect(() => assertValidCalendar(calendar)).not.toThrow();
  });

  it('24x7 is open all day every day with no holidays', () => {
    const calendar = DEFAULT_CALENDARS['24x7'];
    for (const day of [1, 2, 3, 4, 5, 6, 7] as const)
      expect(calendar.week[day]).toEqual([{ open: '00:00', close: '24:00' }]);
    expect(calendar.holidays).toEqual([]);
  });

  it.each([
    ['gp_core', '08:00', '18:30'],
    ['office', '09:00', '17:00'],
  ] as const)('%s is open %s–%s Monday to Friday and closed on bank holidays', (code, open, close) => {
    const calendar = DEFAULT_CALENDARS[code];
    for (const day of [1, 2, 3, 4, 5] as const) expect(calendar.week[day]).toEqual([{ open, close }]);
    expect(calendar.week[6]).toEqual([]);
    expect(calendar.week[7]).toEqual([]);
    expect(calendar.holidays).toEqual(bankHolidayDates());
    expect(calendar.holidays).toEqual(
      expect.arrayContaining(['2010-12-27', '2010-12-28', '2011-04-29', '2012-06-04', '2012-06-05']),
    );
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_CALENDARS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CALENDARS.gp_core)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CALENDARS.gp_core.holidays)).toBe(true);
  });

  it('buildDefaultCalendars applies bank-holiday overrides to the holiday calendars only', () => {
    const calendars = buildDefaultCalendars({
      add: [{ date: '2010-12-24', name: 'Closure' }],
      remove: ['2010-12-27'],
    });
    expect(calendars.gp_core.holidays).toContain('2010-12-24');
    expect(calendars.office.holidays).not.toContain('2010-12-27');
    expect(calendars['24x7'].holidays).toEqual([]);
    // Friday 24 Dec closed, Monday 27 Dec open: 630 business minutes that week.
    expect(
      businessMinutesBetween(
        calendars.gp_core,
        new Date('2010-12-24T00:00:00Z'),
        new Date('2010-12-29T00:00:00Z'),
      ),
    ).toBe(630);
  });
});

describe('openMinutesPerNormalDay', () => {
  const withWeek = (week: BusinessCalendar['week']): BusinessCalendar => ({
    ...DEFAULT_CALENDARS.office,
    code: 'x',
    week,
  });
  const weekday = { open: '09:00', close: '17:00' };

  it.each([
    ['24x7', DEFAULT_CALENDARS['24x7'], 1440],
    ['gp_core', DEFAULT_CALENDARS.gp_core, 630],
    ['office', DEFAULT_CALENDARS.office, 480],
    [
      'split weekdays and a short Saturday: the common day wins',
      withWeek({
        1: [
          { open: '08:00', close: '12:00' },
          { open: '13:00', close: '17:00' },
        ],
        2: [
          { open: '08:00', close: '12:00' },
          { open: '13:00', close: '17:00' },
        ],
        3: [
          { open: '08:00', close: '12:00' },
          { open: '13:00', close: '17:00' },
        ],
        4: [weekday],
        5: [weekday],
        6: [{ open: '09:00', close: '12:00' }],
        7: [],
      }),
      480,
    ],
    [
      'ties go to the longer day',
      withWeek({ 1: [weekday], 2: [{ open: '08:00', close: '18:00' }], 3: [], 4: [], 5: [], 6: [], 7: [] }),
      600,
    ],
  ])('%s → %i', (_name, calendar, minutes) => {
    expect(openMinutesPerNormalDay(calendar)).toBe(minutes);
  });

  it('throws CalendarNeverOpensError for a calendar with no open weekday', () => {
    const closed = withWeek({ 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] });
    expect(() => openMinutesPerNormalDay(closed)).toThrow(CalendarNeverOpensError);
  });

  it('throws InvalidCalendarError for a malformed calendar', () => {
    const bad = withWeek({ ...DEFAULT_CALENDARS.office.week, 1: [{ open: '17:00', close: '09:00' }] });
    expect(() => openMinutesPerNormalDay(bad)).toThrow(InvalidCalendarError);
  });
});
