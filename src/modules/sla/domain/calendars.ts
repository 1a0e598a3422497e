import {
  type BusinessCalendar,
  type OpeningInterval,
  type Weekday,
  assertValidCalendar,
} from './business-calendar';
import { type BankHolidayOverrides, bankHolidayDates } from './bank-holidays';
import { CalendarNeverOpensError } from './sla-domain.errors';

/** The three calendars RoseDesk ships with. All use Europe/London wall-clock hours. */

export const CALENDAR_ZONE = 'Europe/London';

export const DEFAULT_CALENDAR_CODES = ['24x7', 'gp_core', 'office'] as const;
export type DefaultCalendarCode = (typeof DEFAULT_CALENDAR_CODES)[number];

const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

function weekOf(
  open: (day: Weekday) => readonly OpeningInterval[],
): Readonly<Record<Weekday, readonly OpeningInterval[]>> {
  return { 1: open(1), 2: open(2), 3: open(3), 4: open(4), 5: open(5), 6: open(6), 7: open(7) };
}

const mondayToFriday =
  (interval: OpeningInterval) =>
  (day: Weekday): readonly OpeningInterval[] =>
    day <= 5 ? [interval] : [];

/**
 * Builds the default calendars; `overrides` adjusts the bank-holiday table (admin list).
 * - `24x7`: open all day every day, NO holidays;
 * - `gp_core`: 08:00–18:30 Monday–Friday, bank holidays closed;
 * - `office`: 09:00–17:00 Monday–Friday, bank holidays closed.
 */
export function buildDefaultCalendars(
  overrides?: BankHolidayOverrides,
): Readonly<Record<DefaultCalendarCode, BusinessCalendar>> {
  const holidays = Object.freeze(bankHolidayDates(overrides));
  return Object.freeze({
    '24x7': Object.freeze({
      code: '24x7',
      zone: CALENDAR_ZONE,
      week: weekOf(() => [{ open: '00:00', close: '24:00' }]),
      holidays: Object.freeze([]),
    }),
    gp_core: Object.freeze({
      code: 'gp_core',
      zone: CALENDAR_ZONE,
      week: weekOf(mondayToFriday({ open: '08:00', close: '18:30' })),
      holidays,
    }),
    office: Object.freeze({
      code: 'office',
      zone: CALENDAR_ZONE,
      week: weekOf(mondayToFriday({ open: '09:00', close: '17:00' })),
      holidays,
    }),
  });
}

export const DEFAULT_CALENDARS = buildDefaultCalendars();

/**
 * "One business day" of a calendar in minutes: the wall-clock open minutes of its most common non-empty weekday
 * (ties → the longer day), ignoring holidays and clock changes. 24x7 → 1440, gp_core → 630, office → 480.
 * Throws `InvalidCalendarError` for a malformed calendar, `CalendarNeverOpensError` when no weekday opens.
 */
export function openMinutesPerNormalDay(calendar: BusinessCalendar): number {
  assertValidCalendar(calendar);
  const counts = new Map<number, number>();
  for (const day of WEEKDAYS) {
    const minutes = calendar.week[day].reduce((sum, i) => sum + toMinutes(i.close) - toMinutes(i.open), 0);
    if (minutes > 0) counts.set(minutes, (counts.get(minutes) ?? 0) + 1);
  }
  let best: { minutes: number; count: number } | null = null;
  for (const [minutes, count] of counts) {
    if (best === null || count > best.count || (count === best.count && minutes > best.minutes)) {
      best = { minutes, count };
    }
  }
  if (best === null) throw new CalendarNeverOpensError(calendar.code, 'no weekday has any opening interval');
  return best.minutes;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
