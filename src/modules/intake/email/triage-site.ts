import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { IntakeSettings } from './intake-settings';

const TRIAGE_TRUST = { code: 'TRIAGE', name: 'Service desk triage (unplaced email)' };
const TRIAGE_SITE_NAME = 'Service desk triage (unplaced email)';

/**
 * The site email goes to when the pipeline cannot place it (an incident needs a site). INTAKE_TRIAGE_SITE_CODE
 * may name any real site; when no site has that code, a placeholder trust and site (class `other`) are
 * created on first use, idempotently. Agents find the triage queue with `GET /api/incidents?site={code}`.
 */
@Injectable()
export class TriageSite {
  private readonly logger = new Logger(TriageSite.name);
  private ready = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: IntakeSettings,
  ) {}

  async code(): Promise<string> {
    const code = this.settings.triageSiteCode;
    if (this.ready) return code;
    const exists: unknown[] = await this.db.query('SELECT 1 FROM site WHERE code = $1', [code]);
    if (exists.length === 0) {
      await this.db.transaction(async (em) => {
        await em.query(
          "INSERT INTO site_class (code, name, calendar_code, access_notes) VALUES ('other', 'Other (offices, stores, support services)', 'office', NULL) ON CONFLICT (code) DO NOTHING",
        );
        await em.query(
          "INSERT INTO trust (code, name, kind, assumed, email_domains) VALUES ($1, $2, 'foundation_trust', true, '{}') ON CONFLICT (code) DO NOTHING",
          [TRIAGE_TRUST.code, TRIAGE_TRUST.name],
        );
        await em.query(
          `INSERT INTO site (code, name, class_code, trust_id, town, access_notes, active)
           SELECT $1, $2, 'other', id, NULL, 'Placeholder for email the desk could not place: move each incident to its real site.', true
           FROM trust WHERE code = $3 ON CONFLICT DO NOTHING`,
          [code, TRIAGE_SITE_NAME, TRIAGE_TRUST.code],
        );
      });
      this.logger.log({ siteCode: code }, 'Triage site for unplaced email is ready');
    }
    this.ready = true;
    return code;
  }
}
