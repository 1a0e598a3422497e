import type { Service } from '../../src/modules/directory/service.entity';
import type { Site } from '../../src/modules/directory/site.entity';
import type { TestApp } from '../helpers/test-app';
import { createService, createSite, createSupplier, createTrust } from './directory.factory';

export interface IncidentBody {
  siteCode: string;
  service: string;
  impact: string;
  urgency: string;
  summary: string;
  description: string;
  reporter: { name: string; email?: string; phone?: string };
  [key: string]: unknown;
}

export function incidentBody(
  site: Site,
  service: Service,
  overrides: Partial<IncidentBody> = {},
): IncidentBody {
  return {
    siteCode: site.code,
    service: service.code,
    impact: 'several_users',
    urgency: 'high',
    summary: 'Wi-Fi down in outpatients',
    description: 'No device can join the clinical Wi-Fi since 09:10.',
    reporter: {
      name: 'Dr Test Reporter',
      email: `reporter.${site.code}@example.test`,
      phone: '+447700900111',
    },
    ...overrides,
  };
}

/** A trust with one site and a service (with its supplier): what most incident tests start from. */
export async function incidentWorld(
  t: TestApp,
): Promise<{ site: Site; service: Service; trustCode: string }> {
  const trust = await createTrust(t.db);
  const site = await createSite(t.db, trust);
  const service = await createService(t.db, await createSupplier(t.db));
  return { site, service, trustCode: trust.code };
}

export async function createIncident(
  t: TestApp,
  auth: { Authorization: string },
  body: IncidentBody,
): Promise<{ reference: string; [key: string]: unknown }> {
  const res = await t.http().post('/api/incidents').set(auth).send(body).expect(201);
  return res.body as { reference: string };
}
