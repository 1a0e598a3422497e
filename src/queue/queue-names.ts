/**
 * Every queue, named once. Names, payloads and processors are the same in all three run modes; only the
 * backend under BullMQ changes (Redis, or PostgreSQL through BullMQ's own backend).
 */
export enum QueueName {
  /** Outbound email: one job per `outbound_message` row. */
  Mail = 'mail',
  /** Incident housekeeping: closing resolved incidents after the configured time. */
  IncidentLifecycle = 'incident-lifecycle',
  /** SLA engine: delayed checks per incident and target, the minute sweep, and outbound texts. */
  Sla = 'sla',
  /** Email intake: one job per stored `inbound_message` row (the pipeline). */
  EmailIntake = 'email-intake',
}

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
