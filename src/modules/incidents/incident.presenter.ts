import { allowedTransitions } from './domain/incident-status';
import { formatReference } from './domain/incident-reference';
import type { IncidentDto, IncidentView, TimelineEntryDto } from './dto/incident.dto';
import type { IncidentEvent } from './incident-event.entity';
import type { Incident } from './incident.entity';
import type { IncidentExtensions } from './participants/incident-participant';

/** What presentIncident reads: an Incident loaded with site, trust, service and assignee, or a list row. */
export type PresentableIncident = Pick<
  Incident,
  | 'id'
  | 'number'
  | 'status'
  | 'priority'
  | 'impact'
  | 'urgency'
  | 'channel'
  | 'reportedAt'
  | 'siteClassCode'
  | 'summary'
  | 'description'
  | 'reporterName'
  | 'reporterEmail'
  | 'reporterPhone'
  | 'priorityOverridden'
  | 'priorityReason'
  | 'resolutionCode'
  | 'resolutionNotes'
  | 'resolvedAt'
  | 'closedAt'
  | 'createdAt'
  | 'updatedAt'
> & {
  site?: { code: string; name: string };
  trust?: { code: string; name: string };
  service?: { code: string };
  assignee?: { id: string; name: string; email: string } | null;
};

/**
 * An incident as the API shows it, with the participants' blocks (IncidentParticipants.blocks gives one per
 * participant for every incident).
 */
export function presentIncident(i: PresentableIncident, blocks: Partial<IncidentExtensions>): IncidentView {
  const incident: IncidentDto = {
    reference: formatReference(i.number),
    status: i.status,
    priority: i.priority,
    impact: i.impact,
    urgency: i.urgency,
    channel: i.channel,
    reportedAt: i.reportedAt.toISOString(),
    site: { code: i.site?.code ?? '', name: i.site?.name ?? '', class: i.siteClassCode },
    trust: { code: i.trust?.code ?? '', name: i.trust?.name ?? '' },
    service: i.service?.code ?? '',
    summary: i.summary,
    description: i.description,
    reporter: { name: i.reporterName, email: i.reporterEmail, phone: i.reporterPhone },
    assignee: i.assignee ? { id: i.assignee.id, name: i.assignee.name, email: i.assignee.email } : null,
    priorityOverridden: i.priorityOverridden,
    priorityReason: i.priorityReason,
    resolution: i.resolutionCode ? { code: i.resolutionCode, notes: i.resolutionNotes ?? '' } : null,
    resolvedAt: i.resolvedAt?.toISOString() ?? null,
    closedAt: i.closedAt?.toISOString() ?? null,
    allowedTransitions: allowedTransitions(i.status),
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
  return { ...incident, ...blocks } as IncidentView;
}

export function presentEvent(e: IncidentEvent): TimelineEntryDto {
  return {
    id: e.id,
    kind: e.kind,
    event: e.eventType,
    body: e.body,
    author: e.authorName,
    data: e.data,
    at: e.createdAt.toISOString(),
  };
}
