import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import type { SystemEventType } from '../incidents/incident-event.entity';
import { appendEvent, DESK_AUTHOR, eventAuthor } from '../incidents/timeline/append-event';
import { formatReference } from '../incidents/domain/incident-reference';
import { NotificationsService } from '../notifications/notifications.service';
import { BREACH_LEVEL, type SlaTarget } from './domain/incident-sla';
import type { IncidentFacts } from '../incidents/facts/incident-facts';
import type { FiredLevel } from './sla-sql';
import { SlaSettings } from './sla-settings';

export interface Announced {
  mailIds: string[];
  smsIds: string[];
}

interface Recipient {
  email: string;
  name: string;
  role: string;
}

interface IncidentPlace {
  site_name: string;
  site_code: string;
  trust_name: string;
}

const TARGET_LABEL: Record<SlaTarget, string> = { response: 'first response', resolution: 'resolution' };
const ZONE = 'Europe/London';

export const SLA_WARNING_TEMPLATE = 'sla-warning';
export const SLA_TRUST_BREACH_TEMPLATE = 'sla-breach-trust';

/**
 * Announces warnings and breaches, inside the transaction that claimed them (whose claim also wrote their
 * timeline entries, see claimLevels): an email to
 * the assignee (every active desk manager when unassigned), a text to the on-call list for P1, and for a P1 or
 * P2 breach an email to the trust's managers. Every message is an outbox row, so it exists exactly when the
 * claim does; the caller dispatches the rows after the commit.
 */
@Injectable()
export class SlaNotifier {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly settings: SlaSettings,
  ) {}

  async announce(
    em: EntityManager,
    incident: IncidentFacts,
    fired: readonly FiredLevel[],
  ): Promise<Announced> {
    const out: Announced = { mailIds: [], smsIds: [] };
    if (fired.length === 0) return out;
    const reference = formatReference(incident.number);
    const breachForTrust =
      fired.some((f) => f.level >= BREACH_LEVEL) &&
      (incident.priority === 'P1' || incident.priority === 'P2');
    // Where it is and who is told, in one round trip.
    const [place] = await em.query<(IncidentPlace & { people: Recipient[] })[]>(
      `SELECT s.name AS site_name, s.code AS site_code, t.name AS trust_name,
         (SELECT coalesce(json_agg(json_build_object('email', u.email, 'name', u.name, 'role', u.role) ORDER BY u.email), '[]') FROM app_user u
          WHERE u.active AND ((u.role = 'trust_manager' AND u.trust_id = $3 AND $2::boolean)
            OR ($1::uuid IS NOT NULL AND u.id = $1::uuid) OR ($1::uuid IS NULL AND u.role = 'desk_manager'))) AS people
       FROM site s JOIN trust t ON t.id = s.trust_id WHERE s.id = $4`,
      [incident.assigneeId, breachForTrust, incident.trustId, incident.siteId],
    );
    const people = place?.people ?? [];
    // The query returns the assignee (or, unassigned, every desk manager) plus, for a P1/P2 breach, the trust's managers.
    const deskRecipients = people.filter((p) => p.role !== 'trust_manager');
    const trustManagers = people.filter((p) => p.role === 'trust_manager');

    for (const f of fired) {
      const breached = f.level >= BREACH_LEVEL;
      const percent = Math.round(f.level * 100);
      const context = {
        reference,
        summary: incident.summary,
        priority: incident.priority,
        target: TARGET_LABEL[f.target],
        percent,
        breached,
        dueAt: londonTime(f.dueAt),
        siteName: place?.site_name ?? '',
        siteCode: place?.site_code ?? '',
        trustName: place?.trust_name ?? '',
        assigned: incident.assigneeId !== null,
      };
      const subject = breached
        ? `SLA breached for ${reference} (${incident.priority}): ${TARGET_LABEL[f.target]} was due ${context.dueAt}`
        : `SLA warning for ${reference} (${incident.priority}): ${percent}% of the ${TARGET_LABEL[f.target]} time used, due ${context.dueAt}`;
      for (const person of deskRecipients) {
        const mail = await this.notifications.queueEmail(em, {
          template: SLA_WARNING_TEMPLATE,
          to: person.email,
          subject,
          context: { ...context, name: person.name },
          incidentId: incident.id,
          automatic: true,
        });
        out.mailIds.push(mail.id);
      }
      if (breached && breachForTrust) {
        for (const person of trustManagers) {
          const mail = await this.notifications.queueEmail(em, {
            template: SLA_TRUST_BREACH_TEMPLATE,
            to: person.email,
            subject: `${incident.priority} SLA breached at ${context.siteName}: ${reference} ${TARGET_LABEL[f.target]}`,
            context: { ...context, name: person.name },
            incidentId: incident.id,
            automatic: true,
          });
          out.mailIds.push(mail.id);
        }
      }
      if (incident.priority === 'P1' && this.settings.onCallNumbers.length > 0) {
        const body = breached
          ? `RoseDesk ${reference} P1 ${TARGET_LABEL[f.target]} SLA BREACHED (due ${context.dueAt}) at ${context.siteName}`
          : `RoseDesk ${reference} P1 ${TARGET_LABEL[f.target]} ${percent}% used, due ${context.dueAt}, at ${context.siteName}`;
        out.smsIds.push(
          ...(await this.notifications.queueSms(em, {
            incidentId: incident.id,
            to: this.settings.onCallNumbers,
            body,
          })),
        );
      }
    }
    return out;
  }

  /** A system timeline entry (`sla_warning`, `sla_breached`, `sla_recalculated`) written by the desk or an actor. */
  async timeline(
    em: EntityManager,
    incidentId: string,
    type: SystemEventType,
    data: Record<string, unknown>,
    actor?: Actor,
  ): Promise<void> {
    const author = actor ? eventAuthor(actor) : DESK_AUTHOR;
    await appendEvent(em, { incidentId, kind: 'system', type, author, data });
  }
}

export function londonTime(at: Date): string {
  return DateTime.fromJSDate(at).setZone(ZONE).toFormat('ccc d LLL yyyy HH:mm');
}
