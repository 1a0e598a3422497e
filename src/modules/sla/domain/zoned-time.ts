import { IANAZone } from 'luxon';

/**
 * Low-level civil-date and wall-clock helpers for the business-time maths.
 *
 * Days are handled as "day numbers": whole days since 1970-01-01 on the proleptic Gregorian calendar, with no
 * zone attached. Instants are UTC epoch milliseconds. A wall-clock time is a (day number, minute of day) pair in
 * a given IANA zone; `minuteOfDay` may be 1440 (24:00), which is the same wall time as 00:00 on the next day.
 */

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function zoneOf(zone: string): IANAZone {
  return IANAZone.create(zone);
}

/** Offsets already asked for, per zone: luxon computes each through Intl (slow), and the same instants recur. */
const OFFSET_MEMO_LIMIT = 50_000;
const offsetMemo = new WeakMap<IANAZone, Map<number, number>>();

/** The zone's UTC offset in minutes at `ms`, memoised: a pure function of its arguments, so safe to cache. */
export function offsetAt(zone: IANAZone, ms: number): number {
  let memo = offsetMemo.get(zone);
  if (!memo) offsetMemo.set(zone, (memo = new Map<number, number>()));
  let offset = memo.get(ms);
  if (offset === undefined) {
    offset = zone.offset(ms);
    if (memo.size >= OFFSET_MEMO_LIMIT) memo.clear();
    memo.set(ms, offset);
  }
  return offset;
}

/** The wall-clock day (day number) in `zone` that contains the instant `ms`. */
export function localDayNumber(zone: IANAZone, ms: number): number {
  return Math.floor((ms + offsetAt(zone, ms) * MS_PER_MINUTE) / MS_PER_DAY);
}

/** luxon-style weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOfDay(dayNumber: number): Weekday {
  return (((((dayNumber + 3) % 7) + 7) % 7) + 1) as Weekday;
}

/** 'YYYY-MM-DD' of a day number. */
export function isoDateOfDay(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a 'YYYY-MM-DD' string, or null when it is not a real calendar date. */
export function dayOfIsoDate(iso: string): number | null {
  const m = ISO_DATE.exec(iso);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const dayNumber = ms / MS_PER_DAY;
  return isoDateOfDay(dayNumber) === iso ? dayNumber : null;
}

/**
 * The UTC instant at which the wall clock in `zone` reads `minuteOfDay` on `dayNumber`.
 *
 * Clock changes are resolved so that the mapping is monotonic (later wall times never map to earlier instants):
 * - a wall time that happens twice (autumn, e.g. 01:30 on 2010-10-31 in London) maps to its FIRST occurrence;
 * - a wall time that never happens (spring, e.g. 01:30 on 2010-03-28 in London) maps to the instant the clock
 *   jumps past it (01:00 UTC, when 01:00 GMT becomes 02:00 BST).
 */
export function wallTimeToInstant(zone: IANAZone, dayNumber: number, minuteOfDay: number): number {
  const wall = dayNumber * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE;
  const before = offsetAt(zone, wall - MS_PER_DAY);
  const after = offsetAt(zone, wall + MS_PER_DAY);
  const candidates = before === after ? [before] : [before, after, offsetAt(zone, wall)];
  let best: number | null = null;
  for (const offset of candidates) {
    const t = wall - offset * MS_PER_MINUTE;
    if (offsetAt(zone, t) === offset && (best === null || t < best)) best = t;
  }
  if (best !== null) return best;
  return gapTransition(zone, wall, candidates);
}

/** The first instant whose wall-clock reading is at or after `wall` (used only inside a spring-forward gap). */
function gapTransition(zone: IANAZone, wall: number, offsets: readonly number[]): number {
  const instants = offsets.map((o) => wall - o * MS_PER_MINUTE);
  let lo = Math.min(...instants);
  let hi = Math.max(...instants);
  const reading = (t: number): number => t + offsetAt(zone, t) * MS_PER_MINUTE;
  // Invariant: reading(lo) < wall <= reading(hi).
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (reading(mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}
