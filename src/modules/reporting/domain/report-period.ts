import { DateTime } from 'luxon';

/** Reports are asked for in local dates of England. */
export const REPORT_ZONE = 'Europe/London';
/** The longest range one report may cover (a partnership roll-up of two years at most). */
export const MAX_REPORT_DAYS = 731;

/** A report period: local dates `from`..`to` inclusive, and the UTC instants [start, end) they cover. */
export interface ReportPeriod {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

/** Why a period was refused: the field and a sentence for the caller. */
export interface PeriodProblem {
  field: 'from' | 'to' | 'month';
  reason: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_MONTH = /^\d{4}-\d{2}$/;

function localDate(value: string): DateTime | null {
  if (!ISO_DATE.test(value)) return null;
  const d = DateTime.fromISO(value, { zone: REPORT_ZONE });
  return d.isValid ? d.startOf('day') : null;
}

function period(from: DateTime, to: DateTime): ReportPeriod {
  return {
    from: from.toISODate() ?? '',
    to: to.toISODate() ?? '',
    start: from.toJSDate(),
    end: to.plus({ days: 1 }).startOf('day').toJSDate(),
  };
}

/**
 * The period for `from`/`to` (either may be omitted): both omitted is the month containing `now` in England; one
 * omitted is the whole month of the other. Dates are inclusive; a day is midnight to midnight in Europe/London,
 * so a clock-change day is 23 or 25 hours.
 */
export function reportPeriod(query: { from?: string; to?: string }, now: Date): ReportPeriod | PeriodProblem {
  const { from, to } = query;
  if (from === undefined && to === undefined) {
    const month = DateTime.fromJSDate(now, { zone: REPORT_ZONE }).startOf('month');
    return period(month, month.endOf('month').startOf('day'));
  }
  const start = from === undefined ? undefined : localDate(from);
  if (start === null) return { field: 'from', reason: 'must be a date YYYY-MM-DD' };
  const end = to === undefined ? undefined : localDate(to);
  if (end === null) return { field: 'to', reason: 'must be a date YYYY-MM-DD' };
  const a = start ?? (end as DateTime).startOf('month');
  const b = end ?? (start as DateTime).endOf('month').startOf('day');
  if (b < a) return { field: 'to', reason: 'must not be before from' };
  if (b.diff(a, 'days').days + 1 > MAX_REPORT_DAYS)
    return { field: 'to', reason: `a report covers at most ${MAX_REPORT_DAYS} days` };
  return period(a, b);
}

/** The period of a month 'YYYY-MM'. */
export function monthPeriod(month: string): ReportPeriod | PeriodProblem {
  if (!ISO_MONTH.test(month)) return { field: 'month', reason: 'must be a month YYYY-MM' };
  const start = DateTime.fromISO(`${month}-01`, { zone: REPORT_ZONE });
  if (!start.isValid) return { field: 'month', reason: 'must be a month YYYY-MM' };
  return period(start, start.endOf('month').startOf('day'));
}

/** The months 'YYYY-MM' a period is exactly (from the first of one to the last day of another), or null. */
export function wholeMonths(period: ReportPeriod): string[] | null {
  const from = DateTime.fromISO(period.from, { zone: REPORT_ZONE });
  const to = DateTime.fromISO(period.to, { zone: REPORT_ZONE });
  if (from.day !== 1 || !to.endOf('month').startOf('day').equals(to)) return null;
  const months: string[] = [];
  for (let m = from; m < to; m = m.plus({ months: 1 })) months.push(m.toFormat('yyyy-MM'));
  return months;
}

export function isPeriodProblem(p: ReportPeriod | PeriodProblem): p is PeriodProblem {
  return 'reason' in p;
}

/** The `count` months ending with the month of `period.to`: their labels 'YYYY-MM' and the instants they cover. */
export function trailingMonths(
  period: ReportPeriod,
  count: number,
): { months: string[]; start: Date; end: Date } {
  const last = DateTime.fromISO(period.to, { zone: REPORT_ZONE }).startOf('month');
  const first = last.minus({ months: count - 1 });
  const months = Array.from({ length: count }, (_, i) => first.plus({ months: i }).toFormat('yyyy-MM'));
  return { months, start: first.toJSDate(), end: last.plus({ months: 1 }).toJSDate() };
}
