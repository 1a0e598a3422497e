import type { Site } from '../../src/modules/directory/site.entity';
import type { TestApp } from '../helpers/test-app';
import { landlineNumber } from '../helpers/twilio-caller';
import { createSite, createTrust, ensureSiteClasses } from './directory.factory';

/** The services the voice menu's digits name, so phone tests do not depend on the demo catalogue being loaded. */
export async function ensurePhoneServices(t: TestApp): Promise<void> {
  for (const code of ['wireless', 'lan', 'voice', 'remote_access', 'mobile']) {
    await t.db.query(
      "INSERT INTO service (code, name, description) VALUES ($1, $1, '') ON CONFLICT (code) DO NOTHING",
      [code],
    );
  }
}

/** A site with its own phone line (written as the admin API does), for calls from that line. */
export async function siteWithLine(
  t: TestApp,
  overrides: Partial<Site> = {},
): Promise<{ site: Site; line: string }> {
  await ensureSiteClasses(t.db);
  const site = await createSite(t.db, await createTrust(t.db), overrides);
  const line = landlineNumber();
  await t.db.query('INSERT INTO site_phone_number (phone_number, site_id) VALUES ($1, $2)', [line, site.id]);
  return { site, line };
}
