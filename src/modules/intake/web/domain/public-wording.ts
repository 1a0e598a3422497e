import {
  isIncidentStatus,
  isPriority,
  type IncidentStatus,
  type Priority,
  type ResolutionCode,
} from '../../../incidents/domain/incident-enums';
import type { SystemEventType } from '../../../incidents/domain/timeline-events';

/** How the reporter's status page words an incident's status: plain English, never a colour alone. */
export function statusWording(status: IncidentStatus): { label: string; explanation: string } {
  switch (status) {
    case 'new':
      return { label: 'Received', explanation: 'We have your report and an agent will pick it up soon.' };
    case 'assigned':
      return { label: 'Assigned', explanation: 'An agent has taken your report and will start work on it.' };
    case 'in_progress':
      return { label: 'In progress', explanation: 'We are working on the fault.' };
    case 'awaiting_caller':
      return {
        label: 'Waiting for you',
        explanation: 'We need more information from you. Please add a comment below or reply to our email.',
      };
    case 'awaiting_supplier':
      return {
        label: 'With our supplier',
        explanation:
          'The network supplier is working on the fault. We will update you when they report back.',
      };
    case 'resolved':
      return {
        label: 'Resolved',
        explanation: 'We think the fault is fixed. If it is not, add a comment below.',
      };
    case 'closed':
      return {
        label: 'Closed',
        explanation: 'This report is closed. If the fault comes back, please report it again.',
      };
    case 'cancelled':
      return {
        label: 'Cancelled',
        explanation: 'This report was cancelled. If you still have the fault, please report it again.',
      };
  }
}

export function priorityWording(priority: Priority): string {
  switch (priority) {
    case 'P1':
      return 'P1 (critical)';
    case 'P2':
      return 'P2 (high)';
    case 'P3':
      return 'P3 (medium)';
    case 'P4':
      return 'P4 (low)';
  }
}

export function resolutionWording(code: ResolutionCode): string {
  switch (code) {
    case 'fixed':
      return 'Fixed';
    case 'workaround':
      return 'Working again with a workaround';
    case 'supplier_fixed':
      return 'Fixed by the network supplier';
    case 'no_fault_found':
      return 'No fault found';
    case 'not_reproducible':
      return 'The fault could not be reproduced';
    case 'user_error':
      return 'Advice given';
    case 'duplicate':
      return 'Already reported (a duplicate)';
  }
}

/** A system event as one line for the reporter. Only the event type and public values are used, never a free-text body. */
export function systemEventWording(
  event: SystemEventType | null,
  data: Record<string, unknown> | null,
): string {
  if (event === null) return 'Updated';
  switch (event) {
    case 'created':
      return 'Fault reported';
    case 'assigned':
      return 'Assigned to an agent';
    case 'unassigned':
      return 'Waiting for an agent';
    case 'priority_changed':
      return isPriority(data?.to) ? `Priority changed to ${priorityWording(data.to)}` : 'Priority changed';
    case 'status_changed':
      return isIncidentStatus(data?.to)
        ? `Status changed to ${statusWording(data.to).label}`
        : 'Status changed';
    case 'fields_changed':
      return 'Details updated';
    case 'attachment_added':
      return 'File attached';
    case 'reopened':
      return 'Reopened';
    case 'auto_closed':
      return 'Closed';
    case 'auto_reply_received':
      return 'Automatic reply received';
    case 'mail_bounced':
      return 'An email to you could not be delivered';
    case 'needs_triage':
      return 'Being routed to the right team';
    case 'sms_subscribed':
      return 'Text updates requested';
    case 'sms_status':
      return data?.status === 'delivered'
        ? 'A text update was delivered'
        : 'A text update could not be delivered';
    case 'escalated':
    case 'supplier_update':
      return 'Being worked on by the network supplier';
    case 'sla_recalculated':
    case 'sla_warning':
    case 'sla_breached':
    case 'escalation_delivered':
    case 'escalation_failed':
    case 'supplier_clock_warning':
    case 'supplier_clock_breached':
    case 'supplier_chased':
      // Internal to the desk; the status page's timeline leaves these out, this is only a safe fallback.
      return 'Updated';
  }
}
