import { DateTime } from 'luxon';
import { SITE_CLASSES, type SiteClassCode } from '../../directory/domain/site-classes';
import { PRIORITIES, type Priority } from '../../incidents/domain/incident-enums';
import { DESK_ZONE } from './london-time';
import type { FieldProblem } from './queues';

/** The most business minutes a target may have (a year), as the API allows. */
const MAX_TARGET_MINUTES = 525_600;

/** One SLA policy as the form shows it: an explicit calendar, or null for the site class's own. */
export interface PolicyValues {
  siteClass: SiteClassCode;
  priority: Priority;
  calendar: string | null;
  responseMinutes: number;
  resolutionMinutes: number;
}

const key = (c: string, p: string, field: string): string => `${c}.${p}.${field}`;
export const policyFieldId = (c: string, p: string, field: 'calendar' | 'response' | 'resolution'): string =>
  `policy-${c}-${p}-${field}`;

/**
 * Reads the policies form (every site class × priority, each with its calendar, response and resolution in
 * business minutes) against the policies in force: the rows that changed, or the problems, each on its input.
 * A policy missing from the form is left as it is.
 */
export function readPolicyForm(
  body: Record<string, unknown>,
  current: readonly PolicyValues[],
  calendars: readonly string[],
): { changes: PolicyValues[]; problems: FieldProblem[]; values: Record<string, string>; reason: string } {
  const values: Record<string, string> = {};
  const problems: FieldProblem[] = [];
  const changes: PolicyValues[] = [];
  const text = (name: string): string | null => {
    const raw = body[name];
    if (typeof raw !== 'string') return null;
    values[name] = raw;
    return raw.trim();
  };
  for (const siteClass of SITE_CLASSES) {
    for (const priority of PRIORITIES) {
      const now = current.find((p) => p.siteClass === siteClass && p.priority === priority);
      const calendarText = text(key(siteClass, priority, 'calendar'));
      const responseText = text(key(siteClass, priority, 'responseMinutes'));
      const resolutionText = text(key(siteClass, priority, 'resolutionMinutes'));
      if (calendarText === null && responseText === null && resolutionText === null) continue;
      const label = `${siteClass.replace('_', ' ')} ${priority}`;
      const minutes = (raw: string | null, field: 'response' | 'resolution', was: number | undefined) => {
        if (raw === null) return was ?? null;
        const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
        if (!Number.isInteger(n) || n < 1 || n > MAX_TARGET_MINUTES) {
          problems.push({
            field: policyFieldId(siteClass, priority, field),
            message: `${capitalise(label)} ${field}: enter whole business minutes from 1 to ${MAX_TARGET_MINUTES.toLocaleString('en-GB')}`,
          });
          return null;
        }
        return n;
      };
      const response = minutes(responseText, 'response', now?.responseMinutes);
      const resolution = minutes(resolutionText, 'resolution', now?.resolutionMinutes);
      const calendar = calendarText === null ? (now?.calendar ?? null) : calendarText || null;
      if (calendar !== null && !calendars.includes(calendar))
        problems.push({
          field: policyFieldId(siteClass, priority, 'calendar'),
          message: `${capitalise(label)}: choose a calendar from the list`,
        });
      if (response === null || resolution === null) continue;
      if (response > resolution) {
        problems.push({
          field: policyFieldId(siteClass, priority, 'response'),
          message: `${capitalise(label)}: Response must not be longer than resolution`,
        });
        continue;
      }
      const next = {
        siteClass,
        priority,
        calendar,
        responseMinutes: response,
        resolutionMinutes: resolution,
      };
      if (
        !now ||
        now.calendar !== next.calendar ||
        now.responseMinutes !== next.responseMinutes ||
        now.resolutionMinutes !== next.resolutionMinutes
      )
        changes.push(next);
    }
  }
  const reason = typeof body.reason === 'string' ? body.reason.replace(/\s+/g, ' ').trim() : '';
  values.reason = typeof body.reason === 'string' ? body.reason : '';
  if (reason.length > 500)
    problems.push({ field: 'policy-reason', message: 'The reason must be 500 characters or fewer' });
  return { changes: problems.length ? [] : changes, problems, values, reason };
}

export const WEEKDAYS = [
  { day: 1, name: 'mon', label: 'Monday' },
  { day: 2, name: 'tue', label: 'Tuesday' },
  { day: 3, name: 'wed', label: 'Wednesday' },
  { day: 4, name: 'thu', label: 'Thursday' },
  { day: 5, name: 'fri', label: 'Friday' },
  { day: 6, name: 'sat', label: 'Saturday' },
  { day: 7, name: 'sun', label: 'Sunday' },
] as const;

export interface Interval {
  open: string;
  close: string;
}

export interface CalendarValues {
  name: string;
  zone: string;
  bankHolidays: boolean;
  week: Record<1 | 2 | 3 | 4 | 5 | 6 | 7, Interval[]>;
}

/** A day's opening hours as written on the form: `08:00-18:30`, split days with commas; empty is closed. */
export function formatDay(intervals: readonly Interval[]): string {
  return intervals.map((i) => `${i.open}-${i.close}`).join(', ');
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** One day's hours: `08:00-18:30`, `09:00-13:00, 14:00-17:00`, `00:00-24:00`; null when it cannot be read. */
export function parseDay(text: string): Interval[] | null {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const intervals: Interval[] = [];
  for (const part of trimmed.split(/\s*[,;]\s*/)) {
    const m = /^(\d{1,2}:\d{2})\s*(?:-|–|to)\s*(\d{1,2}:\d{2})$/.exec(part);
    if (!m) return null;
    const [open, close] = [m[1], m[2]].map((t) => t.padStart(5, '0'));
    if (!TIME.test(open) || !TIME.test(close) || open === '24:00' || close <= open) return null;
    intervals.push({ open, close });
  }
  return intervals;
}

/** Reads a calendar form: a name, a zone, each weekday's hours, and whether bank holidays close it. */
export function readCalendarForm(
  body: Record<string, unknown>,
): { ok: true; calendar: CalendarValues } | { ok: false; problems: FieldProblem[] } {
  const text = (name: string): string => (typeof body[name] === 'string' ? body[name] : '');
  const problems: FieldProblem[] = [];
  const name = text('name').replace(/\s+/g, ' ').trim();
  if (!name) problems.push({ field: 'calendar-name', message: 'Enter the calendar’s name' });
  else if (name.length > 100)
    problems.push({ field: 'calendar-name', message: 'The name must be 100 characters or fewer' });
  const zone = text('zone').trim() || DESK_ZONE;
  if (!DateTime.local().setZone(zone).isValid)
    problems.push({ field: 'calendar-zone', message: 'Enter a time zone such as Europe/London' });
  const week = {} as CalendarValues['week'];
  for (const { day, name: field, label } of WEEKDAYS) {
    const intervals = parseDay(text(field));
    if (!intervals)
      problems.push({
        field: `calendar-${field}`,
        message: `${label}: write the hours like 08:00-18:30 (24-hour clock), several with commas, or leave it empty for closed`,
      });
    else week[day] = intervals;
  }
  if (!problems.length && WEEKDAYS.every(({ day }) => week[day].length === 0))
    problems.push({
      field: 'calendar-mon',
      message: 'The calendar never opens: give at least one day its opening hours',
    });
  if (problems.length) return { ok: false, problems };
  return { ok: true, calendar: { name, zone, bankHolidays: body.bankHolidays === 'true', week } };
}

/** A date typed on the desk (`13/06/2035` or `2035-06-13`) as `YYYY-MM-DD`; null when it is not a real date. */
export function readDate(text: string): string | null {
  const typed = text.trim();
  const british = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(typed);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(typed);
  const parts = british
    ? { year: Number(british[3]), month: Number(british[2]), day: Number(british[1]) }
    : iso
      ? { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) }
      : null;
  if (!parts) return null;
  const date = DateTime.fromObject(parts, { zone: 'UTC' });
  return date.isValid ? date.toISODate() : null;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
