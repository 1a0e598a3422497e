import type { JobsOptions } from 'bullmq';

/** Every job on the report delivery queue (QueueName.ReportDelivery). */
export enum ReportDeliveryJobName {
  /** Build and queue one subscription's report for the period just closed (from its job scheduler). */
  Deliver = 'deliver',
}

export interface ReportDeliveryJobData {
  [ReportDeliveryJobName.Deliver]: { subscriptionId: string };
}

/** Deterministic: one job scheduler per subscription; upserting it again replaces it. */
export function subscriptionSchedulerId(subscriptionId: string): string {
  return `report-subscription-${subscriptionId}`;
}

/** The subscription a scheduler id names, or null for another scheduler. */
export function subscriptionOfScheduler(schedulerId: string): string | null {
  const m = /^report-subscription-([0-9a-f-]{36})$/.exec(schedulerId);
  return m ? m[1] : null;
}

/**
 * The instant a job its scheduler made was meant for: BullMQ names each such job `repeat:{schedulerId}:{millis}`.
 * Null for any other job (one added by hand).
 */
export function scheduledInstant(jobId: string | undefined, subscriptionId: string): Date | null {
  const prefix = `repeat:${subscriptionSchedulerId(subscriptionId)}:`;
  if (!jobId?.startsWith(prefix)) return null;
  const millis = jobId.slice(prefix.length);
  return /^\d{1,15}$/.test(millis) ? new Date(Number(millis)) : null;
}

export const DELIVER_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 30_000 },
  removeOnComplete: 100,
  removeOnFail: 1000,
} as const satisfies JobsOptions;
