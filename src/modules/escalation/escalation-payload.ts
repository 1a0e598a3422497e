import type { EntityManager } from 'typeorm';
import { formatReference } from '../incidents/domain/incident-reference';
import { incidentBriefSql } from '../incidents/incident-sql';
import { slaClocksSql } from '../sla/sla-report-sql';
import { ESCALATION_ROW_SQL, type EscalationRow } from './escalation-records';

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
  /** Our customer SLA's due times (as stored: a clock paused for the caller, as of its pause). */
  sla: { responseDueAt: string | null; resolutionDueAt: string | null };
  /** True on the one chase for an acknowledgement. */
  chase?: boolean;
}

interface ContextRow extends EscalationRow {
  number: string;
  priority: string;
  impact: string;
  summary: string;
  description: string;
  site_code: string;
  site_name: string;
  site_class: string;
  site_town: string | null;
  site_access_notes: string | null;
  trust_code: string;
  trust_name: string;
  service_code: string;
  reporter_name: string;
  reporter_email: string | null;
  reporter_phone: string | null;
  response_due: Date | null;
  resolution_due: Date | null;
}

/**
 * An escalation, its supplier's channel and the payload of its delivery, in one query: the incident's brief (the
 * incidents module's fragment, with site, trust and service) and the customer SLA's due times (the SLA engine's
 * fragment). A delivery reads this once; it used to present the whole incident (every participant's block) and
 * load the site again, about seven round trips.
 */
export async function deliveryContext(
  em: EntityManager,
  escalationId: string,
): Promise<{ escalation: EscalationRow; payload: EscalationPayload } | null> {
  const [r] = await em.query<ContextRow[]>(
    `SELECT ${ESCALATION_ROW_SQL}, b.number, b.priority, b.impact, b.summary, b.description, b.site_code, b.site_name,
        b.site_class, b.site_town, b.site_access_notes, b.trust_code, b.trust_name, b.service_code, b.reporter_name,
        b.reporter_email, b.reporter_phone, sla.response_due, sla.resolution_due
       FROM escalation e JOIN supplier s ON s.id = e.supplier_id JOIN (${incidentBriefSql()}) b ON b.id = e.incident_id
       LEFT JOIN LATERAL (SELECT max(c.due_at) FILTER (WHERE c.target = 'response') AS response_due,
           max(c.due_at) FILTER (WHERE c.target = 'resolution') AS resolution_due
         FROM (${slaClocksSql()}) c WHERE c.incident_id = e.incident_id) sla ON true
      WHERE e.id = $1`,
    [escalationId],
  );
  if (!r) return null;
  const escalation: EscalationRow = {
    id: r.id,
    incidentId: r.incidentId,
    supplierId: r.supplierId,
    supplierCode: r.supplierCode,
    supplierName: r.supplierName,
    status: r.status,
    reason: r.reason,
    channel: r.channel,
    round: r.round,
    supplierReference: r.supplierReference,
    webhookUrl: r.webhookUrl,
    webhookSecret: r.webhookSecret,
    escalationEmail: r.escalationEmail,
  };
  const payload: EscalationPayload = {
    escalationId: r.id,
    reference: formatReference(r.number),
    priority: r.priority,
    impact: r.impact,
    service: r.service_code,
    summary: r.summary,
    description: r.description,
    reason: r.reason,
    site: {
      code: r.site_code,
      name: r.site_name,
      class: r.site_class,
      address: r.site_town,
      accessNotes: r.site_access_notes,
    },
    trust: { code: r.trust_code, name: r.trust_name },
    reporter: { name: r.reporter_name, email: r.reporter_email, phone: r.reporter_phone },
    sla: {
      responseDueAt: r.response_due ? new Date(r.response_due).toISOString() : null,
      resolutionDueAt: r.resolution_due ? new Date(r.resolution_due).toISOString() : null,
    },
  };
  return { escalation, payload };
}
