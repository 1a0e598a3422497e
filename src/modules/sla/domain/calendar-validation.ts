import type { BusinessCalendar, OpeningInterval } from './business-calendar';
import { InvalidCalendarError } from './sla-domain.errors';
import { type Weekday, dayOfIsoDate, isValidZone } from './zoned-time';

/**
 * Validation of a `BusinessCalendar` value (for instance one loaded from the database or an admin form):
 * valid IANA zone, 'HH:mm' times (close may be '24:00'), no inverted, empty or overlapping intervals within a
 * day (touching is fine), real 'YYYY-MM-DD' holidays.
 */

const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];
const HH_MM = /^(\d{2}):(\d{2})$/;

type Span = readonly [number, number];

/** Throws `InvalidCalendarError` (code SLA.INVALID_CALENDAR) naming every problem found. */
export function assertValidCalendar(calendar: BusinessCalendar): void {
  const problems = calendarProblems(calendar);
  if (problems.length > 0) throw new InvalidCalendarError(String(calendar.code), problems);
}

function calendarProblems(calendar: BusinessCalendar): string[] {
  const problems: string[] = [];
  if (typeof calendar.code !== 'string' || calendar.code.trim() === '') {
    problems.push('code must be a non-empty string');
  }
  if (typeof calendar.zone !== 'string' || !isValidZone(calendar.zone)) {
    problems.push(`zone "${String(calendar.zone)}" is not a valid IANA zone`);
  }
  for (const day of WEEKDAYS) {
    const intervals: unknown = calendar.week?.[day];
    if (!Array.isArray(intervals)) {
      problems.push(`week[${day}] must be an array of {open, close}`);
      continue;
    }
    problems.push(...dayProblems(day, intervals as readonly OpeningInterval[]));
  }
  if (!Array.isArray(calendar.holidays)) {
    problems.push('holidays must be an array of YYYY-MM-DD dates');
  } else {
    for (const holiday of calendar.holidays) {
      if (typeof holiday !== 'string' || dayOfIsoDate(holiday) === null) {
        problems.push(`holiday "${String(holiday)}" is not a valid YYYY-MM-DD date`);
      }
    }
  }
  return problems;
}

function dayProblems(day: Weekday, intervals: readonly OpeningInterval[]): string[] {
  const problems: string[] = [];
  const spans: Span[] = [];
  intervals.forEach((interval, i) => {
    const open = parseHhMm(interval?.open, false);
    const close = parseHhMm(interval?.close, true);
    if (open === null) {
      problems.push(`week[${day}][${i}].open "${String(interval?.open)}" is not HH:mm (00:00–23:59)`);
    }
    if (close === null) {
      problems.push(`week[${day}][${i}].close "${String(interval?.close)}" is not HH:mm (00:01–24:00)`);
    }
    if (open === null || close === null) return;
    if (close <= open) {
      problems.push(`week[${day}][${i}] is inverted or empty (${interval.open}–${interval.close})`);
    } else {
      spans.push([open, close]);
    }
  });
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i][0] < sorted[i - 1][1]) {
      problems.push(`week[${day}] has overlapping intervals (${hhMm(sorted[i - 1])} and ${hhMm(sorted[i])})`);
    }
  }
  return problems;
}

/** Minutes since midnight of 'HH:mm' (and of '24:00' when `allowEndOfDay`), or null when malformed. */
export function parseHhMm(value: unknown, allowEndOfDay: boolean): number | null {
  if (typeof value !== 'string') return null;
  if (value === '24:00') return allowEndOfDay ? 1440 : null;
  const m = HH_MM.exec(value);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  return h < 24 && min < 60 ? h * 60 + min : null;
}

function hhMm([open, close]: Span): string {
  const f = (x: number): string =>
    `${String(Math.floor(x / 60)).padStart(2, '0')}:${String(x % 60).padStart(2, '0')}`;
  return `${f(open)}–${f(close)}`;
}
