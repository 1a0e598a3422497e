import type { BusinessCalendar } from '../../sla/domain/business-calendar';
import { thresholdInstant } from '../../sla/domain/sla-clock';

/**
 * A supplier's contract clocks on the SLA engine's pure domain: each target runs over its calendar's open time from
 * the moment of escalation (no pauses: the supplier's clock does not stop for the desk). Pure.
 */
export const CONTRACT_TARGETS = ['acknowledge', 'fix'] as const;
export type ContractTarget = (typeof CONTRACT_TARGETS)[number];

/** The fraction of a target at which it warns; for acknowledge, the supplier is chased then (once). */
export const WARN_FRACTION = 0.75;

export interface ContractTerms {
  readonly calendar: BusinessCalendar;
  readonly acknowledgeMinutes: number;
  readonly fixMinutes: number;
}

export interface PlannedClock {
  readonly target: ContractTarget;
  readonly targetMinutes: number;
  readonly startedAt: Date;
  readonly warnAt: Date;
  readonly dueAt: Date;
}

/** Both clocks of an escalation made at `startedAt`. */
export function planContractClocks(terms: ContractTerms, startedAt: Date): PlannedClock[] {
  return CONTRACT_TARGETS.map((target) => {
    const targetMinutes = target === 'acknowledge' ? terms.acknowledgeMinutes : terms.fixMinutes;
    return {
      target,
      targetMinutes,
      startedAt,
      warnAt: thresholdInstant(terms.calendar, startedAt, targetMinutes, WARN_FRACTION),
      dueAt: thresholdInstant(terms.calendar, startedAt, targetMinutes, 1),
    };
  });
}

export interface ClockMoment {
  readonly warnAt: Date;
  readonly dueAt: Date;
  readonly metAt: Date | null;
  readonly warnedAt: Date | null;
  readonly breachedAt: Date | null;
}

export type ClockStep = 'warn' | 'breach' | null;

/** What is due on a running clock at `now`: the breach first (a clock found late warns no more), else the warning. */
export function dueStep(clock: ClockMoment, now: Date): ClockStep {
  if (clock.metAt !== null || clock.breachedAt !== null) return null;
  if (now.getTime() >= clock.dueAt.getTime()) return 'breach';
  if (clock.warnedAt === null && now.getTime() >= clock.warnAt.getTime()) return 'warn';
  return null;
}

/** The next instant to look at the clock again after `step` (null: nothing more to do). */
export function nextCheck(clock: ClockMoment, step: ClockStep): Date | null {
  if (clock.metAt !== null || step === 'breach' || clock.breachedAt !== null) return null;
  if (step === 'warn' || clock.warnedAt !== null) return clock.dueAt;
  return clock.warnAt;
}

/** Met in time: met at or before the due instant (as the SLA engine counts it). */
export function metInTime(clock: { dueAt: Date; metAt: Date | null }): boolean {
  return clock.metAt !== null && clock.metAt.getTime() <= clock.dueAt.getTime();
}
