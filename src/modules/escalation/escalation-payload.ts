import { Injectable } from '@nestjs/common';
import { SitesService } from '../directory/sites.service';
import { IncidentQueries } from '../incidents/incident-queries.service';

/** What a supplier's engineer needs, as the webhook body (pinned fields) and the email template's values. */
export interface EscalationPayload {
  escalationId: string;
  /** Our reference, INC-…. */
  reference: string;
  priority: string;
  impact: string;
  service: string;
  summary: string;
  description: string;
  reason: string;
  site: { code: string; name: string; class: string; address: string | null; accessNotes: string | null };
  trust: { code: string; name: string };
  reporter: { name: string; email: string | null; phone: string | null };
  /** Our customer SLA's due times. */
  sla: { responseDueAt: string | null; resolutionDueAt: string | null };
  /** True on the one chase for an acknowledgement. */
  chase?: boolean;
}

/** Builds the payload from the incident as the desk sees it and the site's directory entry (access notes). */
@Injectable()
export class EscalationPayloads {
  constructor(
    private readonly incidents: IncidentQueries,
    private readonly sites: SitesService,
  ) {}

  async build(escalation: { id: string; incidentId: string; reason: string }): Promise<EscalationPayload> {
    const incident = await this.incidents.present(escalation.incidentId);
    const site = await this.sites.get(incident.site.code);
    return {
      escalationId: escalation.id,
      reference: incident.reference,
      priority: incident.priority,
      impact: incident.impact,
      service: incident.service,
      summary: incident.summary,
      description: incident.description,
      reason: escalation.reason,
      site: {
        code: incident.site.code,
        name: incident.site.name,
        class: incident.site.class,
        address: site.town,
        accessNotes: site.accessNotes,
      },
      trust: { code: incident.trust.code, name: incident.trust.name },
      reporter: {
        name: incident.reporter.name,
        email: incident.reporter.email,
        phone: incident.reporter.phone,
      },
      sla: {
        responseDueAt: incident.sla?.response.dueAt ?? null,
        resolutionDueAt: incident.sla?.resolution.dueAt ?? null,
      },
    };
  }
}
