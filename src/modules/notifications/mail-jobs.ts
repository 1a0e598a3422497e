import type { JobsOptions } from 'bullmq';
import { MAX_SEND_ATTEMPTS, RETRY_BASE_DELAY_MS } from './domain/outbound-mail';
import { COMPLETED_JOB_KEEP_S } from './outbox/outbox-sender';

/** Every job on the mail queue (QueueName.Mail). */
export enum MailJobName {
  /** Send one `outbound_message` row; jobId `mail-{row id}`. */
  Send = 'send',
  /** Re-queue every pending row the database says is due (job scheduler `mail-sweep`, every minute). */
  Sweep = 'sweep',
}

export interface MailJobData {
  [MailJobName.Send]: { outboundMessageId: string };
  [MailJobName.Sweep]: Record<string, never>;
}

/** Options of a send job (the jobId is added per row); completed ones kept by age (COMPLETED_JOB_KEEP_S). */
export const SEND_JOB_OPTIONS = {
  attempts: MAX_SEND_ATTEMPTS,
  backoff: { type: 'exponential', delay: RETRY_BASE_DELAY_MS },
  removeOnComplete: { age: COMPLETED_JOB_KEEP_S },
  removeOnFail: 5000,
} as const satisfies JobsOptions;

export const SWEEP_SCHEDULER_ID = 'mail-sweep';
