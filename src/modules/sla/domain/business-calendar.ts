import type { IANAZone } from 'luxon';
import { assertValidCalendar, parseHhMm } from './calendar-validation';
import { CalendarNeverOpensError, PausedIndefinitelyError } from './sla-domain.errors';
import {
  MS_PER_DAY,
  MS_PER_MINUTE,
  type Weekday,
  dayOfIsoDate,
  localDayNumber,
  wallTimeToInstant,
  weekdayOfDay,
  zoneOf,
} from './zoned-time';

export type { Weekday } from './zoned-time';
export { assertValidCalendar } from './calendar-validation';

/**
 * Business time: "N business minutes after T" and "business minutes between A and B" over a calendar of weekly
 * opening hours in an IANA zone, minus holidays, minus pauses.
 *
 * Units and rounding (callers must know):
 * - All instants are UTC `Date`s. Internally everything is exact integer milliseconds.
 * - `addBusinessMinutes` accepts any finite minutes >= 0 (fractions allowed) and rounds `minutes * 60000` to the
 *   nearest millisecond. `businessMinutesBetween` returns exact milliseconds / 60000, so it is fractional when
 *   the bounds are not whole business minutes apart. Hence, for integer (or whole-millisecond) m,
 *   `businessMinutesBetween(c, t, addBusinessMinutes(c, t, m)) === m` holds exactly.
 * - 0 minutes returns `start` itself, even when `start` is closed or paused (Zammad-like).
 * - For m > 0 the result is the EARLIEST instant by which m minutes have elapsed: it is always inside an open,
 *   unpaused stretch or exactly at its end (e.g. 18:30 rather than 08:00 the next morning).
 * - Opening hours are wall-clock hours in `zone`. On a clock-change day an interval lasts its real elapsed time
 *   (a 24x7 day is 23 h or 25 h in Europe/London; 08:00–18:30 stays 630 minutes). A wall time that happens twice
 *   means its first occurrence; one that never happens means the instant the clock jumps past it.
 */

/** One opening interval on a weekday, wall clock 'HH:mm'. `close` may be '24:00' (end of day). */
export interface OpeningInterval {
  readonly open: string;
  readonly close: string;
}

export interface BusinessCalendar {
  readonly code: string;
  /** IANA zone, e.g. 'Europe/London'. */
  readonly zone: string;
  /** luxon weekday (1 = Monday … 7 = Sunday) → opening intervals; empty = closed all day; split days allowed. */
  readonly week: Readonly<Record<Weekday, readonly OpeningInterval[]>>;
  /** 'YYYY-MM-DD' local dates closed all day. */
  readonly holidays: readonly string[];
}

/** A stretch during which business time does not accrue. `to: null` = still paused, up to infinity. */
export interface Pause {
  readonly from: Date;
  readonly to: Date | null;
}

/** A half-open UTC interval [start, end). */
export interface BusinessInterval {
  readonly start: Date;
  readonly end: Date;
}

/** Search horizon: an unbounded search gives up after this many consecutive days with no open time (~2 years). */
export const MAX_CONSECUTIVE_CLOSED_DAYS = 731;

const MAX_UTC_OFFSET_MS = 14 * 60 * MS_PER_MINUTE;
const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

type Span = readonly [number, number];

interface CompiledCalendar {
  readonly code: string;
  readonly zone: IANAZone;
  /** index = weekday (0 unused): merged [openMinute, closeMinute] pairs. */
  readonly week: readonly (readonly Span[])[];
  readonly holidays: ReadonlySet<number>;
  readonly neverOpens: boolean;
  /** dayIntervals results, memoised per day number (a calendar value never changes). */
  readonly days: Map<number, Span[]>;
}

// ---------------------------------------------------------------------------------------------- compilation

const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>();

/** Validates and pre-digests a calendar; memoised per calendar object (treat calendars as immutable values). */
function compile(calendar: BusinessCalendar): CompiledCalendar {
  const cached = compiled.get(calendar);
  if (cached) return cached;
  assertValidCalendar(calendar);
  const week: Span[][] = [[]];
  for (const day of WEEKDAYS) {
    const spans = calendar.week[day]
      .map((i): Span => [parseHhMm(i.open, false) as number, parseHhMm(i.close, true) as number])
      .sort((a, b) => a[0] - b[0]);
    const merged: Span[] = [];
    for (const span of spans) {
      const last = merged[merged.length - 1];
      if (last !== undefined && last[1] === span[0]) merged[merged.length - 1] = [last[0], span[1]];
      else merged.push(span);
    }
    week.push(merged);
  }
  const result: CompiledCalendar = {
    code: calendar.code,
    zone: zoneOf(calendar.zone),
    week,
    holidays: new Set(calendar.holidays.map((h) => dayOfIsoDate(h) as number)),
    neverOpens: week.every((spans) => spans.length === 0),
    days: new Map(),
  };
  compiled.set(calendar, result);
  return result;
}

const DAY_MEMO_LIMIT = 20_000;

/** Open UTC spans of one local day (empty on a closed weekday or a holiday); memoised per calendar. */
function dayIntervals(cc: CompiledCalendar, day: number): Span[] {
  let spans = cc.days.get(day);
  if (spans === undefined) {
    spans = computeDayIntervals(cc, day);
    if (cc.days.size >= DAY_MEMO_LIMIT) cc.days.clear();
    cc.days.set(day, spans);
  }
  return spans;
}

function computeDayIntervals(cc: CompiledCalendar, day: number): Span[] {
  const spans = cc.week[weekdayOfDay(day)];
  if (spans.length === 0 || cc.holidays.has(day)) return [];
  const out: Span[] = [];
  for (const [open, close] of spans) {
    const start = wallTimeToInstant(cc.zone, day, open);
    const end = wallTimeToInstant(cc.zone, day, close);
    if (end > start) out.push([start, end]); // a span wholly inside a spring-forward gap vanishes
  }
  return out;
}

/**
 * Open spans clipped to [fromMs, untilMs), in order, walking day by day. Unbounded (untilMs = Infinity) walks
 * throw `CalendarNeverOpensError` instead of looping when the calendar has no open time within the horizon.
 */
function* openSpans(cc: CompiledCalendar, fromMs: number, untilMs = Infinity): Generator<Span> {
  if (cc.neverOpens) {
    if (untilMs === Infinity) {
      throw new CalendarNeverOpensError(cc.code, 'no weekday has any opening interval');
    }
    return;
  }
  let closedDays = 0;
  for (let day = localDayNumber(cc.zone, fromMs); day * MS_PER_DAY - MAX_UTC_OFFSET_MS < untilMs; day++) {
    let opened = false;
    for (const [start, end] of dayIntervals(cc, day)) {
      const a = Math.max(start, fromMs);
      const b = Math.min(end, untilMs);
      if (b > a) {
        opened = true;
        yield [a, b];
      }
    }
    closedDays = opened ? 0 : closedDays + 1;
    if (closedDays > MAX_CONSECUTIVE_CLOSED_DAYS && untilMs === Infinity) {
      throw new CalendarNeverOpensError(
        cc.code,
        `no open time in ${MAX_CONSECUTIVE_CLOSED_DAYS} consecutive days (every day a holiday or closed)`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------- pauses

interface PauseSpan {
  readonly from: number;
  /** Infinity when open-ended. */
  readonly to: number;
}

/** Sorted, merged pause spans; zero-length pauses dropped. */
function normalisePauses(pauses: readonly Pause[]): PauseSpan[] {
  const spans = pauses
    .map((p): PauseSpan => {
      const from = instantMs(p.from, 'pause.from');
      const to = p.to === null ? Infinity : instantMs(p.to, 'pause.to');
      if (to < from) throw new RangeError(`Pause ends before it starts: ${p.from.toISOString()}`);
      return { from, to };
    })
    .filter((p) => p.to > p.from)
    .sort((a, b) => a.from - b.from);
  const merged: PauseSpan[] = [];
  for (const p of spans) {
    const last = merged[merged.length - 1];
    if (last !== undefined && p.from <= last.to) {
      merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, p.to) };
    } else {
      merged.push(p);
    }
  }
  return merged;
}

function instantMs(date: Date, name: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${name} must be a valid Date`);
  return ms;
}

// ---------------------------------------------------------------------------------------------- public maths

/** The instant at which `ms` business milliseconds have elapsed after `start` (see module notes). */
export function addBusinessMilliseconds(
  calendar: BusinessCalendar,
  start: Date,
  ms: number,
  pauses: readonly Pause[] = [],
): Date {
  const cc = compile(calendar);
  const startMs = instantMs(start, 'start');
  if (!Number.isInteger(ms) || ms < 0) {
    throw new RangeError(`Business milliseconds must be an integer >= 0, got ${ms}`);
  }
  if (ms === 0) return new Date(startMs);
  const ps = normalisePauses(pauses);
  let remaining = ms;
  let cursor = startMs;
  let pi = 0;
  for (;;) {
    let resumeAt: number | null = null;
    for (const [spanStart, spanEnd] of openSpans(cc, cursor)) {
      let a = spanStart;
      while (a < spanEnd) {
        while (pi < ps.length && ps[pi].to <= a) pi++;
        const pause: PauseSpan | undefined = ps[pi];
        if (pause !== undefined && pause.from <= a) {
          if (pause.to === Infinity) throw new PausedIndefinitelyError(cc.code, new Date(pause.from));
          if (pause.to - spanEnd > MS_PER_DAY) resumeAt = pause.to; // long pause: jump instead of walking days
          a = Math.min(pause.to, spanEnd);
          continue;
        }
        const end = pause === undefined ? spanEnd : Math.min(spanEnd, pause.from);
        if (end - a >= remaining) return new Date(a + remaining);
        remaining -= end - a;
        a = end;
      }
      if (resumeAt !== null) break;
    }
    cursor = resumeAt as number;
  }
}

/**
 * The instant when `minutes` business minutes (open time of the calendar, outside every pause) have elapsed
 * after `start`. 0 returns `start`. Throws `CalendarNeverOpensError` for a calendar with no open time (within
 * ~2 years) and `PausedIndefinitelyError` when an open-ended pause swallows the rest.
 */
export function addBusinessMinutes(
  calendar: BusinessCalendar,
  start: Date,
  minutes: number,
  pauses: readonly Pause[] = [],
): Date {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`Business minutes must be >= 0, got ${minutes}`);
  }
  return addBusinessMilliseconds(calendar, start, Math.round(minutes * MS_PER_MINUTE), pauses);
}

/** Exact business milliseconds in [from, to); 0 when to <= from. */
export function businessMillisecondsBetween(
  calendar: BusinessCalendar,
  from: Date,
  to: Date,
  pauses: readonly Pause[] = [],
): number {
  const cc = compile(calendar);
  const fromMs = instantMs(from, 'from');
  const toMs = instantMs(to, 'to');
  if (toMs <= fromMs) return 0;
  const ps = normalisePauses(pauses);
  let total = 0;
  let pi = 0;
  for (const [spanStart, spanEnd] of openSpans(cc, fromMs, toMs)) {
    let a = spanStart;
    while (a < spanEnd) {
      while (pi < ps.length && ps[pi].to <= a) pi++;
      const pause: PauseSpan | undefined = ps[pi];
      if (pause !== undefined && pause.from <= a) {
        a = Math.min(pause.to, spanEnd);
        continue;
      }
      const end = pause === undefined ? spanEnd : Math.min(spanEnd, pause.from);
      total += end - a;
      a = end;
    }
  }
  return total;
}

/** Business minutes in [from, to): exact (ms / 60000, possibly fractional); 0 when to <= from. */
export function businessMinutesBetween(
  calendar: BusinessCalendar,
  from: Date,
  to: Date,
  pauses: readonly Pause[] = [],
): number {
  return businessMillisecondsBetween(calendar, from, to, pauses) / MS_PER_MINUTE;
}

/**
 * The calendar's open UTC intervals within [from, to) (pauses not applied), clipped to the range, in order,
 * with touching intervals merged (a 24x7 calendar gives one interval).
 */
export function openIntervals(calendar: BusinessCalendar, from: Date, to: Date): BusinessInterval[] {
  const cc = compile(calendar);
  const fromMs = instantMs(from, 'from');
  const toMs = instantMs(to, 'to');
  if (toMs <= fromMs) return [];
  const merged: [number, number][] = [];
  for (const [a, b] of openSpans(cc, fromMs, toMs)) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last[1] === a) last[1] = b;
    else merged.push([a, b]);
  }
  return merged.map(([a, b]) => ({ start: new Date(a), end: new Date(b) }));
}
