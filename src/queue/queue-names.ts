/**
 * Every queue, named once. Names, payloads and processors are the same in all three run modes; only the
 * backend under BullMQ changes (Redis, or PostgreSQL through BullMQ's own backend).
 */
export enum QueueName {
  /** Outbound email: one job per `outbound_message` row. */
  Mail = 'mail',
  /** Incident housekeeping: closing resolved incidents after the configured time. */
  IncidentLifecycle = 'incident-lifecycle',
  /** SLA engine: delayed checks per incident and target, and the minute sweep. */
  Sla = 'sla',
  /** Email intake: one job per stored `inbound_message` row (the pipeline). */
  EmailIntake = 'email-intake',
  /** Outbound texts: one job per `outbound_sms` row, and the minute's sweep. */
  Sms = 'sms',
  /** Scheduled SLA report mail: one job scheduler per report subscription. */
  ReportDelivery = 'report-delivery',
}

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
