import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ContactsService } from '../../directory/contacts.service';
import { SitesService, type SiteSummary } from '../../directory/sites.service';
import { OPEN_STATUSES } from '../../incidents/domain/incident-enums';
import { glanceIncidents, newestIncidentAtSite } from '../../incidents/facts/incident-facts';
import type { KnownOutage, MenuSite, SiteSource } from './domain/call-menu';
import type { SmsCandidate } from './domain/sms-command';
import { SMS_THREAD_WINDOW_MS } from './domain/sms-command';

/** A known outage is an open P1 or P2 at the site reported in this window. */
export const OUTAGE_WINDOW_MS = 12 * 3_600_000;

export function menuSite(site: SiteSummary): MenuSite {
  return { id: site.id, code: site.code, name: site.name, alwaysOpen: site.calendarCode === '24x7' };
}

/** Who is calling or texting, as far as the directory knows. */
export interface Caller {
  site: { site: MenuSite; source: Extract<SiteSource, 'line' | 'contact'> } | null;
  contact: { id: string; name: string } | null;
}

/** What the phone and SMS intake read from other modules, each through that module's exported services or functions. */
@Injectable()
export class PhoneLookups {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sites: SitesService,
    private readonly contacts: ContactsService,
  ) {}

  /**
   * The caller's site: the site whose own lines include the number; else the usual site of the directory's
   * contacts with that number, when they agree on one. The contact (the first, verified first) names the reporter.
   */
  async caller(number: string): Promise<Caller> {
    const [line, contacts] = await Promise.all([
      this.sites.findByPhoneNumber(number),
      this.contacts.findByPhone(number),
    ]);
    const contact = contacts[0] ? { id: contacts[0].id, name: contacts[0].name } : null;
    if (line) return { site: { site: menuSite(line), source: 'line' }, contact };
    const usual = [...new Set(contacts.flatMap((c) => (c.usualSiteId ? [c.usualSiteId] : [])))];
    if (usual.length !== 1) return { site: null, contact };
    const [site] = await this.sites.findSummariesByIds(usual);
    return { site: site ? { site: menuSite(site), source: 'contact' } : null, contact };
  }

  async siteByCode(code: string): Promise<MenuSite | null> {
    const site = await this.sites.findSummaryByCode(code);
    return site ? menuSite(site) : null;
  }

  /** The newest open P1 or P2 at the site reported in the last 12 hours, or null. */
  async knownOutage(siteId: string, now: Date): Promise<KnownOutage | null> {
    const newest = await newestIncidentAtSite(this.db.manager, {
      siteId,
      statuses: OPEN_STATUSES,
      priorities: ['P1', 'P2'],
      since: new Date(now.getTime() - OUTAGE_WINDOW_MS),
    });
    return newest ? { incidentId: newest.id, reference: newest.reference } : null;
  }

  /** The incidents this number is on (reported by phone or text, or asked about) from the last seven days. */
  async smsCandidates(number: string, now: Date): Promise<SmsCandidate[]> {
    const rows = await this.db.query<{ incident_id: string }[]>(
      `SELECT incident_id FROM sms_subscription WHERE phone_number = $1 AND created_at >= $2
        ORDER BY created_at DESC LIMIT 10`,
      [number, new Date(now.getTime() - SMS_THREAD_WINDOW_MS)],
    );
    const incidents = await glanceIncidents(
      this.db.manager,
      rows.map((r) => r.incident_id),
    );
    return incidents.map((i) => ({
      incidentId: i.id,
      reference: i.reference,
      status: i.status,
      reportedAt: i.reportedAt,
    }));
  }
}
