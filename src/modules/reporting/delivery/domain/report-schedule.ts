import { DateTime } from 'luxon';
import { REPORT_ZONE, type ReportPeriod } from '../../domain/report-period';

/**
 * When a report subscription runs and which period a run reports on. Pure: `now` is an argument; every local
 * time is Europe/London, so a run "at 08:00" is 08:00 GMT in winter and 08:00 BST in summer.
 */

export const FREQUENCIES = ['weekly', 'monthly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export interface Schedule {
  frequency: Frequency;
  /** ISO weekday 1 (Monday) .. 7 (Sunday), weekly only. */
  dayOfWeek: number | null;
  /** 1..28 (a day every month has), monthly only. */
  dayOfMonth: number | null;
  /** 'HH:MM', 24-hour, Europe/London. */
  timeOfDay: string;
}

/** Why a schedule was refused: the field and a sentence for the caller. */
export interface ScheduleProblem {
  field: 'frequency' | 'dayOfWeek' | 'dayOfMonth' | 'timeOfDay';
  reason: string;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Checks a schedule as a whole (the DTO checks each field's shape). A time from 01:00 to 01:59 is refused: on the
 * clock-change Sundays that hour happens twice (October) or not at all (March), so a run there would be doubled
 * or lost.
 */
export function scheduleProblem(s: Schedule): ScheduleProblem | null {
  const time = TIME.exec(s.timeOfDay);
  if (!time) return { field: 'timeOfDay', reason: 'must be a time HH:MM (24-hour, Europe/London)' };
  if (time[1] === '01')
    return {
      field: 'timeOfDay',
      reason: 'must not be 01:00-01:59: that hour is skipped or repeated when the clocks change',
    };
  if (s.frequency === 'weekly') {
    if (s.dayOfWeek === null) return { field: 'dayOfWeek', reason: 'is required for a weekly report' };
    if (s.dayOfMonth !== null) return { field: 'dayOfMonth', reason: 'is only for a monthly report' };
    if (!Number.isInteger(s.dayOfWeek) || s.dayOfWeek < 1 || s.dayOfWeek > 7)
      return { field: 'dayOfWeek', reason: 'must be 1 (Monday) to 7 (Sunday)' };
  } else {
    if (s.dayOfMonth === null) return { field: 'dayOfMonth', reason: 'is required for a monthly report' };
    if (s.dayOfWeek !== null) return { field: 'dayOfWeek', reason: 'is only for a weekly report' };
    if (!Number.isInteger(s.dayOfMonth) || s.dayOfMonth < 1 || s.dayOfMonth > 28)
      return { field: 'dayOfMonth', reason: 'must be 1 to 28 (a day every month has)' };
  }
  return null;
}

/** The cron pattern (minute hour day-of-month month day-of-week) of a valid schedule, to run in REPORT_ZONE. */
export function cronPattern(s: Schedule): string {
  const [hour, minute] = s.timeOfDay.split(':').map(Number);
  return s.frequency === 'weekly'
    ? `${minute} ${hour} * * ${(s.dayOfWeek ?? 1) % 7}`
    : `${minute} ${hour} ${s.dayOfMonth ?? 1} * *`;
}

/** The first run of a valid schedule strictly after `after`. */
export function nextRunAt(s: Schedule, after: Date): Date {
  const [hour, minute] = s.timeOfDay.split(':').map(Number);
  const local = DateTime.fromJSDate(after, { zone: REPORT_ZONE });
  for (let step = 0; step < 32; step++) {
    const day = local.plus({ days: step }).startOf('day');
    const matches = s.frequency === 'weekly' ? day.weekday === s.dayOfWeek : day.day === s.dayOfMonth;
    if (!matches) continue;
    const at = day.set({ hour, minute });
    if (at.toMillis() > after.getTime()) return at.toJSDate();
  }
  throw new Error('A valid schedule runs at least once in 32 days');
}

/**
 * The period a run at `now` reports on: the one that has just closed. Weekly, the last whole week Monday to
 * Sunday; monthly, the last whole calendar month. Days are midnight to midnight in REPORT_ZONE, so a period
 * holding a clock change is an hour shorter (March) or longer (October).
 */
export function closedPeriod(frequency: Frequency, now: Date): ReportPeriod {
  const local = DateTime.fromJSDate(now, { zone: REPORT_ZONE });
  const from =
    frequency === 'weekly'
      ? local.startOf('week').minus({ weeks: 1 })
      : local.startOf('month').minus({ months: 1 });
  const end = frequency === 'weekly' ? from.plus({ weeks: 1 }) : from.plus({ months: 1 });
  return {
    from: from.toISODate() ?? '',
    to: end.minus({ days: 1 }).toISODate() ?? '',
    start: from.toJSDate(),
    end: end.toJSDate(),
  };
}
