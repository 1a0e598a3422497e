export const DESK_ZONE = 'Europe/London';

/** The desk's wall-clock parts of a moment (one Intl formatter, made once: a page formats hundreds of moments). */
interface DeskParts {
  weekday: string;
  day: string;
  month: string;
  year: string;
  hour: string;
  minute: string;
  /** yyyy-mm-dd in the desk's zone, to compare days. */
  date: string;
}

const DESK_FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: DESK_ZONE,
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const MONTH_NUMBER = new Intl.DateTimeFormat('en-GB', { timeZone: DESK_ZONE, month: '2-digit' });

function deskParts(at: Date | string): DeskParts {
  const when = typeof at === 'string' ? new Date(at) : at;
  const parts: Record<string, string> = {};
  for (const p of DESK_FORMAT.formatToParts(when)) parts[p.type] = p.value;
  const day = parts.day.padStart(2, '0');
  return {
    weekday: parts.weekday,
    day: parts.day,
    month: parts.month,
    year: parts.year,
    hour: parts.hour,
    minute: parts.minute,
    date: `${parts.year}-${MONTH_NUMBER.format(when)}-${day}`,
  };
}

/** A moment as the desk reads it: Europe/London, 24-hour clock, British English ("Fri 24 Dec 2010, 17:00"). */
export function formatDateTime(at: Date | string): string {
  const p = deskParts(at);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

/** A short form for tables: the time alone today, else the date without the year when it is this year. */
export function formatShortDateTime(at: Date | string, now: Date): string {
  const p = deskParts(at);
  const today = deskParts(now);
  const time = `${p.hour}:${p.minute}`;
  if (p.date === today.date) return time;
  return p.year === today.year ? `${p.day} ${p.month}, ${time}` : `${p.day} ${p.month} ${p.year}, ${time}`;
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
