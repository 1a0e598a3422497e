import {
  type BusinessCalendar,
  type Pause,
  addBusinessMilliseconds,
  businessMillisecondsBetween,
} from './business-calendar';
import { DEFAULT_PAUSING_STATUSES, type StatusChange, pausesFromHistory } from './pauses-from-history';
import { MS_PER_MINUTE } from './zoned-time';

/**
 * One SLA clock (first response or resolution) of one incident, computed purely from its inputs.
 *
 * Rules a caller must know:
 * - The clock runs from `reportedAt` over the calendar's open time, minus pauses derived from the history
 *   (`awaiting_caller` pauses; `awaiting_supplier` does not).
 * - It stops at `metAt` when given; otherwise at the instant the history last entered a terminal status
 *   (resolved, closed, cancelled); otherwise it is running and measured at `now`. History entries after `now`
 *   are ignored. Pauses are clipped to that end instant: a pause still open at `now` is treated as ending now, so
 *   `dueAt` is "the due instant if the caller answered right now" and moves later while the pause lasts.
 * - `paused` is true only for a running clock inside an open pause; `nextCheckAt` is then null (nothing can be
 *   crossed until the status changes, which must trigger a recompute). It is also null for a stopped clock.
 * - A running clock has reached a level when elapsed >= level (so at exactly `dueAt` it is breached); a stopped
 *   clock only when elapsed > level (met exactly at `dueAt` is met in time). `breached` is the 100 % level.
 * - Minutes are exact (ms / 60000, possibly fractional); `percentElapsed` is unrounded (100 = due).
 * - `nextCheckAt` is the instant the next not-yet-reached level among the thresholds AND 100 % is reached, so a
 *   timer set there always sees something new; `crossedThresholds` lists only the given thresholds.
 * - `pausingStatuses` (default: `awaiting_caller` only) lets a caller pause on more statuses; the resolution clock
 *   passes `resolved` too, so that after a reopen the time spent resolved does not count (the clock resumes where
 *   it stopped). `pauses` returns the pauses actually applied (clipped to the end instant), for `thresholdInstant`.
 */

export const DEFAULT_THRESHOLDS: readonly number[] = Object.freeze([0.75, 0.9, 1.0]);
/**
 * Statuses in which the resolution clock stands still: resolved as well as closed and cancelled (incidents' own
 * TERMINAL_STATUSES, the statuses an incident never leaves, are only closed and cancelled).
 */
export const CLOCK_STOPPING_STATUSES: readonly string[] = Object.freeze(['resolved', 'closed', 'cancelled']);

export interface SlaClockInput {
  readonly calendar: BusinessCalendar;
  readonly reportedAt: Date;
  /** Business minutes of `calendar`. */
  readonly targetMinutes: number;
  readonly history: readonly StatusChange[];
  readonly metAt: Date | null;
  /** Fractions of the target to warn at; default [0.75, 0.9, 1.0]. */
  readonly thresholds?: readonly number[];
  /** Statuses during which the clock does not run; default `DEFAULT_PAUSING_STATUSES` (awaiting_caller). */
  readonly pausingStatuses?: readonly string[];
  readonly now: Date;
}

export interface SlaClockState {
  readonly dueAt: Date;
  readonly metAt: Date | null;
  /** Where the clock stopped: `metAt`, or the instant a terminal status was entered; null while it runs. */
  readonly stoppedAt: Date | null;
  readonly paused: boolean;
  readonly elapsedMinutes: number;
  /** max(0, target − elapsed). */
  readonly remainingMinutes: number;
  readonly percentElapsed: number;
  readonly breached: boolean;
  /** elapsed − target when breached, else 0. */
  readonly breachedByMinutes: number;
  readonly nextCheckAt: Date | null;
  /** The given thresholds already reached, ascending. */
  readonly crossedThresholds: number[];
  /** The pauses applied, clipped to the clock's end instant (pass them to `thresholdInstant`). */
  readonly pauses: Pause[];
}

/** Business milliseconds of `fraction` of a target; the single rounding rule shared by every level. */
function levelMs(targetMinutes: number, fraction: number): number {
  return Math.round(targetMinutes * fraction * MS_PER_MINUTE);
}

/** The instant `fraction` of `targetMinutes` business minutes has elapsed after `start` (1 = the due instant). */
export function thresholdInstant(
  calendar: BusinessCalendar,
  start: Date,
  targetMinutes: number,
  fraction: number,
  pauses: readonly Pause[] = [],
): Date {
  assertTarget(targetMinutes);
  assertFraction(fraction);
  return addBusinessMilliseconds(calendar, start, levelMs(targetMinutes, fraction), pauses);
}

export function computeSlaClock(input: SlaClockInput): SlaClockState {
  const { calendar, reportedAt, targetMinutes, metAt, now } = input;
  assertTarget(targetMinutes);
  const thresholds = [...new Set(input.thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => a - b);
  thresholds.forEach(assertFraction);

  const history = input.history.filter((c) => c.at.getTime() <= now.getTime());
  const stoppedAt = metAt ?? terminalInstant(history);
  const running = stoppedAt === null;
  const end = stoppedAt ?? now;

  const rawPauses = pausesFromHistory(history, input.pausingStatuses ?? DEFAULT_PAUSING_STATUSES);
  const paused = running && rawPauses.some((p) => p.to === null);
  const pauses = clipPauses(rawPauses, end);

  const targetMs = levelMs(targetMinutes, 1);
  const dueAt = addBusinessMilliseconds(calendar, reportedAt, targetMs, pauses);
  const elapsedMs = businessMillisecondsBetween(calendar, reportedAt, end, pauses);
  const reached = (level: number): boolean => (running ? elapsedMs >= level : elapsedMs > level);

  const breached = reached(targetMs);
  const crossedThresholds = thresholds.filter((f) => reached(levelMs(targetMinutes, f)));

  let nextCheckAt: Date | null = null;
  if (running && !paused) {
    const next = [...new Set([...thresholds, 1])]
      .sort((a, b) => a - b)
      .find((f) => !reached(levelMs(targetMinutes, f)));
    if (next !== undefined) {
      nextCheckAt = addBusinessMilliseconds(calendar, reportedAt, levelMs(targetMinutes, next), pauses);
    }
  }

  return {
    dueAt,
    metAt,
    stoppedAt,
    paused,
    elapsedMinutes: elapsedMs / MS_PER_MINUTE,
    remainingMinutes: Math.max(0, targetMs - elapsedMs) / MS_PER_MINUTE,
    percentElapsed: targetMs === 0 ? 100 : (elapsedMs / targetMs) * 100,
    breached,
    breachedByMinutes: breached ? (elapsedMs - targetMs) / MS_PER_MINUTE : 0,
    nextCheckAt,
    crossedThresholds,
    pauses,
  };
}

/** When the (time-ordered) history's latest status is terminal, the instant it was entered. */
function terminalInstant(history: readonly StatusChange[]): Date | null {
  let last: StatusChange | null = null;
  for (const change of history) {
    if (last === null || change.at.getTime() >= last.at.getTime()) last = change;
  }
  return last !== null && CLOCK_STOPPING_STATUSES.includes(last.status) ? last.at : null;
}

/** Pauses cut off at `end` (open ones included); those starting at or after `end` dropped. */
function clipPauses(pauses: readonly Pause[], end: Date): Pause[] {
  const endMs = end.getTime();
  return pauses
    .filter((p) => p.from.getTime() < endMs)
    .map((p) => (p.to === null || p.to.getTime() > endMs ? { from: p.from, to: end } : p));
}

function assertTarget(targetMinutes: number): void {
  if (!Number.isFinite(targetMinutes) || targetMinutes < 0) {
    throw new RangeError(`SLA target must be a finite number of minutes >= 0, got ${targetMinutes}`);
  }
}

function assertFraction(fraction: number): void {
  if (!Number.isFinite(fraction) || fraction <= 0) {
    throw new RangeError(`SLA threshold fraction must be a finite number > 0, got ${fraction}`);
  }
}
