/** The kinds of timeline entry and the system events; the timeline's rows are IncidentEvent. */

export const EVENT_KINDS = ['public_reply', 'internal_note', 'system'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** What a system event records; replies and notes carry `body` instead. */
export const SYSTEM_EVENTS = [
  'created',
  'assigned',
  'unassigned',
  'priority_changed',
  'status_changed',
  'fields_changed',
  'attachment_added',
  'reopened',
  'auto_closed',
  /** Email intake: an out-of-office reply, a bounce of our mail, an incident waiting for a site. */
  'auto_reply_received',
  'mail_bounced',
  'needs_triage',
  /** SLA engine: terms or due times recomputed (priority, site, explicit), a warning level reached, a target breached. */
  'sla_recalculated',
  'sla_warning',
  'sla_breached',
  /** Phone and SMS: someone asked for text updates on the incident; Twilio's delivery status of a text about it. */
  'sms_subscribed',
  'sms_status',
  /**
   * Escalation: handed to a supplier, delivered, failed; an update from the supplier; the supplier's contract clock
   * warned or breached (recorded against the supplier, apart from the customer SLA); the supplier chased.
   */
  'escalated',
  'escalation_delivered',
  'escalation_failed',
  'supplier_update',
  'supplier_clock_warning',
  'supplier_clock_breached',
  'supplier_chased',
] as const;
export type SystemEventType = (typeof SYSTEM_EVENTS)[number];
