import { isIncidentStatus, isPriority, isResolutionCode } from '../../incidents/domain/incident-enums';
import type { SystemEventType } from '../../incidents/domain/timeline-events';
import { formatDateTime } from './london-time';
import { supplierEventText } from './supplier-wording';
import { resolutionLabel, statusLabel } from './labels';

const TARGETS: Record<string, string> = { response: 'Response', resolution: 'Resolution' };

/** A system event as one line for the desk, from its type and structured data (never from a free-text body). */
export function systemEventText(event: SystemEventType | null, data: Record<string, unknown> | null): string {
  const d = data ?? {};
  switch (event) {
    case null:
      return 'Updated';
    case 'created':
      return 'Incident logged';
    case 'assigned':
      return typeof d.to === 'string' ? `Assigned to ${d.to}` : 'Assigned';
    case 'unassigned':
      return 'Unassigned';
    case 'priority_changed':
      return isPriority(d.from) && isPriority(d.to) ? `Priority ${d.from} → ${d.to}` : 'Priority changed';
    case 'status_changed': {
      const change =
        isIncidentStatus(d.from) && isIncidentStatus(d.to)
          ? `Status ${statusLabel(d.from)} → ${statusLabel(d.to)}`
          : 'Status changed';
      return isResolutionCode(d.resolution) ? `${change} (${resolutionLabel(d.resolution)})` : change;
    }
    case 'fields_changed':
      return Array.isArray(d.fields) ? `Changed ${d.fields.map(String).join(', ')}` : 'Details changed';
    case 'attachment_added':
      return 'File attached';
    case 'reopened':
      return 'Reopened';
    case 'auto_closed':
      return 'Closed automatically after resolution';
    case 'auto_reply_received':
      return 'Automatic reply received from the reporter';
    case 'mail_bounced':
      return 'Mail to the reporter bounced';
    case 'needs_triage':
      return 'Needs triage: the site could not be worked out from the email';
    case 'sla_warning':
      return `SLA warning: ${TARGETS[String(d.target)] ?? 'a target'} at ${typeof d.level === 'number' ? d.level : '?'} %`;
    case 'sla_breached':
      return `SLA breached: ${TARGETS[String(d.target)] ?? 'a target'}${
        typeof d.dueAt === 'string' ? ` (due ${formatDateTime(d.dueAt)})` : ''
      }`;
    case 'sla_recalculated':
      return 'SLA due times recalculated';
    case 'escalated':
    case 'escalation_delivered':
    case 'escalation_failed':
    case 'supplier_update':
    case 'supplier_clock_warning':
    case 'supplier_clock_breached':
    case 'supplier_chased':
      return supplierEventText(event, d);
    case 'sms_subscribed':
      return 'A caller asked for text updates';
    case 'sms_status':
      return `Text ${typeof d.status === 'string' ? d.status.replace(/_/g, ' ') : 'status'}${
        typeof d.errorCode === 'string' ? ` (Twilio error ${d.errorCode})` : ''
      }`;
  }
}
