import type { JobsOptions } from 'bullmq';

/**
 * Each supplier has its own queue (`escalation-{supplier code}`), so one supplier's outage or slowness never delays
 * another's deliveries. Job ids are deterministic: adding a job twice adds it once.
 */
export function escalationQueueName(supplierCode: string): string {
  return `escalation-${supplierCode}`;
}

export enum EscalationJobName {
  /** Deliver one escalation by the supplier's channel; jobId `deliver-{escalation id}-{round}`. */
  Deliver = 'deliver',
  /** Chase the supplier for an acknowledgement (once); jobId `chase-{escalation id}`. */
  Chase = 'chase',
  /** Pass a public reply on the incident to the supplier; jobId `forward-{escalation id}-{event id}`. */
  Forward = 'forward',
}

export interface EscalationJobData {
  escalationId: string;
  /** Forward: the timeline entry (a public reply) to pass on. */
  eventId?: string;
}

export function forwardJobId(escalationId: string, eventId: string): string {
  return `forward-${escalationId}-${eventId}`;
}

export function deliverJobId(escalationId: string, round: number): string {
  return `deliver-${escalationId}-${round}`;
}

export function chaseJobId(escalationId: string): string {
  return `chase-${escalationId}`;
}

/** The Idempotency-Key of an escalation's delivery: the same on every attempt and every manual retry. */
export function deliveryKey(escalationId: string, kind: EscalationJobName, eventId?: string): string {
  switch (kind) {
    case EscalationJobName.Deliver:
      return `escalation-${escalationId}`;
    case EscalationJobName.Chase:
      return `chase-${escalationId}`;
    case EscalationJobName.Forward:
      return `update-${escalationId}-${eventId ?? ''}`;
  }
}

/** Attempts with exponential backoff: `backoffMs`, then double each time (10 attempts at 7 s: about an hour). */
export function deliveryJobOptions(attempts: number, backoffMs: number): JobsOptions {
  return {
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    removeOnComplete: 1000,
    removeOnFail: 5000,
  };
}
