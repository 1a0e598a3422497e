import type { JobsOptions } from 'bullmq';
import { COMPLETED_JOB_KEEP_S } from '../outbox/outbox-sender';

/** Every job on the text queue (QueueName.Sms). */
export enum SmsJobName {
  /** Send one `outbound_sms` row; jobId `sms-{row id}`. */
  Send = 'send',
  /** Re-queue every pending row the database says is due (job scheduler `sms-sweep`, every minute). */
  Sweep = 'sweep',
}

export interface SmsJobData {
  [SmsJobName.Send]: { outboundSmsId: string };
  [SmsJobName.Sweep]: Record<string, never>;
}

/** Attempts per text, counted on the row. */
export const MAX_SMS_ATTEMPTS = 10;
/** First retry delay; each later one doubles (BullMQ's `exponential` backoff with the same base). */
export const SMS_RETRY_BASE_DELAY_MS = 5_000;

export const SMS_SWEEP_SCHEDULER_ID = 'sms-sweep';

export function smsJobId(id: string): string {
  return `sms-${id}`;
}

/** The wait after the n-th failed attempt (1-based): 5 s, 10 s, 20 s, ... as the queue's own backoff. */
export function smsRetryDelayMs(attempts: number): number {
  return Math.round(2 ** (Math.max(1, attempts) - 1) * SMS_RETRY_BASE_DELAY_MS);
}

/** Completed send jobs are kept by age, as mail's are (COMPLETED_JOB_KEEP_S says why). */
export const SMS_JOB_OPTIONS = {
  attempts: MAX_SMS_ATTEMPTS,
  backoff: { type: 'exponential', delay: SMS_RETRY_BASE_DELAY_MS },
  removeOnComplete: { age: COMPLETED_JOB_KEEP_S },
  removeOnFail: 1000,
} as const satisfies JobsOptions;
