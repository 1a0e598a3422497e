import type { JobsOptions } from 'bullmq';

/** Every job on the email intake queue (QueueName.EmailIntake). */
export enum IntakeJobName {
  /** Run the pipeline on one stored `inbound_message` row; jobId `intake-{row id}`. */
  Process = 'process',
}

export interface IntakeJobData {
  [IntakeJobName.Process]: { inboundMessageId: string };
}

/** Runs of the pipeline per message before it is left `failed` (a retry through the API starts again). */
export const MAX_PROCESS_ATTEMPTS = 3;

export const PROCESS_JOB_OPTIONS = {
  attempts: MAX_PROCESS_ATTEMPTS,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: true,
  removeOnFail: 1000,
} as const satisfies JobsOptions;

export function intakeJobId(inboundMessageId: string): string {
  return `intake-${inboundMessageId}`;
}
