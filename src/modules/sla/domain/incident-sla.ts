import type { BusinessCalendar } from './business-calendar';
import type { StatusChange } from './pauses-from-history';
import { type SlaClockState, computeSlaClock, thresholdInstant } from './sla-clock';

/**
 * The two SLA clocks of one incident, from its facts, purely. This is where RoseDesk's rules live:
 *
 * - Both clocks run from `reportedAt` over their calendar's open time; `awaiting_caller` pauses both,
 *   `awaiting_supplier` pauses neither.
 * - **Response** is met by the first public reply written by desk staff (`respondedAt`, recorded by the caller).
 *   If the incident reaches `resolved` before any such reply, the response clock stops at that first resolution
 *   (resolving is the answer); a cancel before any reply stops it unmet. Once met it stays met, even after a reopen.
 * - **Resolution** is met on entering `resolved` (it stays met through `closed`). A reopen (resolved → in_progress)
 *   un-meets it and the clock RESUMES where it stopped: the time spent in `resolved` counts as a pause, so the
 *   reopened incident has what was left of its target, not a fresh one. A cancel stops it unmet.
 * - Warnings fall at the configured fractions of the target and the breach at 100 %; each level is reported with
 *   the instant it was (or will be) reached, so the caller can record lateness and act once per level.
 */

export const SLA_TARGETS = ['response', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

/** The breach level; warnings are the configured fractions below it. */
export const BREACH_LEVEL = 1;

export interface TargetTerms {
  readonly target: SlaTarget;
  readonly calendar: BusinessCalendar;
  /** Business minutes of `calendar`. */
  readonly targetMinutes: number;
}

export interface IncidentSlaFacts {
  readonly reportedAt: Date;
  /** The incident's current status. */
  readonly status: string;
  /** When it was last resolved; null unless the status is resolved or closed. */
  readonly resolvedAt: Date | null;
  /** The first public reply by desk staff, if any. */
  readonly respondedAt: Date | null;
  /** Every status the incident entered, with when (creation's `new` may be left out). */
  readonly history: readonly StatusChange[];
  /** Warning fractions, each in (0, 1); the breach (1) is always added. */
  readonly warningThresholds: readonly number[];
  readonly now: Date;
}

export interface ReachedLevel {
  /** A warning fraction, or 1 for the breach. */
  readonly level: number;
  /** The instant the level was reached. */
  readonly at: Date;
}

export interface TargetClock {
  readonly target: SlaTarget;
  readonly targetMinutes: number;
  readonly calendarCode: string;
  readonly state: SlaClockState;
  /** Levels (warnings and breach) reached so far, ascending, with their instants. */
  readonly reached: ReachedLevel[];
}

const PAUSING: Readonly<Record<SlaTarget, readonly string[]>> = Object.freeze({
  response: ['awaiting_caller'],
  resolution: ['awaiting_caller', 'resolved'],
});

/** The warning levels plus the breach, ascending and de-duplicated. */
export function slaLevels(warningThresholds: readonly number[]): number[] {
  return [...new Set([...warningThresholds, BREACH_LEVEL])].sort((a, b) => a - b);
}

/** When the target's clock was met, per the rules above (null while unmet). */
export function metAtFor(target: SlaTarget, facts: IncidentSlaFacts): Date | null {
  const now = facts.now.getTime();
  const entered = facts.history.filter((c) => c.status === 'resolved' && c.at.getTime() <= now);
  switch (target) {
    case 'response': {
      if (facts.respondedAt !== null && facts.respondedAt.getTime() <= now) return facts.respondedAt;
      const first = entered.reduce<Date | null>((min, c) => (min === null || c.at < min ? c.at : min), null);
      return first;
    }
    case 'resolution': {
      if (facts.status !== 'resolved' && facts.status !== 'closed') return null;
      if (facts.resolvedAt !== null) return facts.resolvedAt;
      return entered.reduce<Date | null>((max, c) => (max === null || c.at > max ? c.at : max), null);
    }
  }
}

/** One target's clock and the levels it has reached. */
export function targetClock(terms: TargetTerms, facts: IncidentSlaFacts): TargetClock {
  const levels = slaLevels(facts.warningThresholds);
  const state = computeSlaClock({
    calendar: terms.calendar,
    reportedAt: facts.reportedAt,
    targetMinutes: terms.targetMinutes,
    history: facts.history,
    metAt: metAtFor(terms.target, facts),
    thresholds: levels,
    pausingStatuses: PAUSING[terms.target],
    now: facts.now,
  });
  const reached = state.crossedThresholds.map((level) => ({
    level,
    at: thresholdInstant(terms.calendar, facts.reportedAt, terms.targetMinutes, level, state.pauses),
  }));
  return {
    target: terms.target,
    targetMinutes: terms.targetMinutes,
    calendarCode: terms.calendar.code,
    state,
    reached,
  };
}

/**
 * Parses a comma list of warning fractions such as "0.75,0.9" (an empty string: no warnings, breach only).
 * Returns the sorted, de-duplicated fractions, or the problems found.
 */
export function parseWarningThresholds(
  text: string,
): { ok: true; value: number[] } | { ok: false; problem: string } {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const values = parts.map(Number);
  const bad = parts.filter((p, i) => !/^(0?\.\d+|0\.\d*)$/.test(p) || !(values[i] > 0 && values[i] < 1));
  if (bad.length > 0) {
    return {
      ok: false,
      problem: `every threshold must be a fraction between 0 and 1 such as 0.75 (bad: ${bad.join(', ')})`,
    };
  }
  return { ok: true, value: [...new Set(values)].sort((a, b) => a - b) };
}
