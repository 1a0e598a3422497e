import type { JobsOptions } from 'bullmq';
import { MAX_SEND_ATTEMPTS, RETRY_BASE_DELAY_MS } from './domain/outbound-mail';

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

/** Options of a send job (the jobId is added per row). */
export const SEND_JOB_OPTIONS = {
  attempts: MAX_SEND_ATTEMPTS,
  backoff: { type: 'exponential', delay: RETRY_BASE_DELAY_MS },
  removeOnComplete: 1000,
  removeOnFail: 5000,
} as const satisfies JobsOptions;

export const SWEEP_SCHEDULER_ID = 'mail-sweep';
