import { DateTime } from 'luxon';

export const DESK_ZONE = 'Europe/London';

/** A moment as the desk reads it: Europe/London, 24-hour clock, British English ("Fri 24 Dec 2010, 17:00"). */
export function formatDateTime(at: Date | string): string {
  const dt = DateTime.fromJSDate(typeof at === 'string' ? new Date(at) : at, { zone: DESK_ZONE });
  return dt.setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm');
}

/** A short form for tables: the time alone today, else the date without the year when it is this year. */
export function formatShortDateTime(at: Date | string, now: Date): string {
  const dt = DateTime.fromJSDate(typeof at === 'string' ? new Date(at) : at, { zone: DESK_ZONE }).setLocale(
    'en-GB',
  );
  const today = DateTime.fromJSDate(now, { zone: DESK_ZONE });
  if (dt.hasSame(today, 'day')) return dt.toFormat('HH:mm');
  return dt.hasSame(today, 'year') ? dt.toFormat('d LLL, HH:mm') : dt.toFormat('d LLL yyyy, HH:mm');
}

/**
 * A span of time, largest units first: "2 d 4 h", "3 h 05 m", "12 m 30 s", "45 s". The browser's countdown
 * (templates/console/static/console.js) writes the same shapes.
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} m`;
  if (minutes > 0) return `${minutes} m ${String(seconds).padStart(2, '0')} s`;
  return `${seconds} s`;
}
