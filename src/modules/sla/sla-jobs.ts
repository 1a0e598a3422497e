import type { JobsOptions } from 'bullmq';
import type { SlaTarget } from './domain/incident-sla';

/** Every job on the SLA queue (QueueName.Sla). */
export enum SlaJobName {
  /** Re-check one incident when a target's next level falls due; jobId `sla-INC000123-resolution-{ms}`. */
  Check = 'check',
  /** Act on every due check and re-arm the timers due soon (scheduler `sla-sweep`). */
  Sweep = 'sweep',
}

export interface SlaJobData {
  [SlaJobName.Check]: { incidentId: string; target: SlaTarget; at: number };
  [SlaJobName.Sweep]: Record<string, never>;
}

export const SWEEP_SCHEDULER_ID = 'sla-sweep';
export const SWEEP_EVERY_MS = 60_000;
/** The sweep (re-)adds a timer for every check due within this long, so a lost timer is back before it is due. */
export const REARM_HORIZON_MS = 2 * SWEEP_EVERY_MS;

/**
 * Deterministic: one job per incident, target and check instant. Adding it twice adds it once; a superseded
 * timer (the check moved) has another id and is removed, or fires harmlessly (the checker re-reads).
 */
export function checkJobId(reference: string, target: SlaTarget, at: Date): string {
  return `sla-${reference.replace('-', '')}-${target}-${at.getTime()}`;
}

export const CHECK_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: 1000,
} as const satisfies JobsOptions;
