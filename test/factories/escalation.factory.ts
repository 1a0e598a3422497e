import type { DataSource } from 'typeorm';
import type { Service } from '../../src/modules/directory/service.entity';
import type { Site } from '../../src/modules/directory/site.entity';
import type { Supplier } from '../../src/modules/directory/supplier.entity';
import type { TestApp } from '../helpers/test-app';
import { createService, createSite, createSupplier, createTrust } from './directory.factory';
import { createIncident, incidentBody } from './incident.factory';

/** A supplier with a webhook (and optionally contract targets), a service it supplies, and a prison site. */
export async function escalationWorld(
  t: TestApp,
  channel: { webhookUrl?: string; webhookSecret?: string; escalationEmail?: string },
): Promise<{ supplier: Supplier; service: Service; site: Site }> {
  const trust = await createTrust(t.db);
  const site = await createSite(t.db, trust, {
    accessNotes: 'Escorted visits only: book at the gate lodge.',
  });
  const supplier = await createSupplier(t.db, {
    webhookUrl: channel.webhookUrl ?? null,
    webhookSecret: channel.webhookSecret ?? null,
    escalationEmail: channel.escalationEmail ?? null,
  });
  const service = await createService(t.db, supplier);
  return { supplier, service, site };
}

/** Sets a supplier's contract targets for every priority (in business minutes on the 24x7 calendar). */
export async function setTargets(
  t: TestApp,
  supplierId: string,
  acknowledge: number,
  fix: number,
): Promise<void> {
  for (const priority of ['P1', 'P2', 'P3', 'P4']) {
    await t.db.query(
      `INSERT INTO supplier_contract_target (supplier_id, priority, calendar_code, acknowledge_minutes, fix_minutes, assumed)
       VALUES ($1, $2, '24x7', $3, $4, false)
       ON CONFLICT (supplier_id, priority) DO UPDATE SET acknowledge_minutes = $3, fix_minutes = $4`,
      [supplierId, priority, acknowledge, fix],
    );
  }
}

/** Creates an incident and escalates it; returns its reference and the escalation's id. */
export async function escalatedIncident(
  t: TestApp,
  auth: { Authorization: string },
  world: { supplier: Supplier; service: Service; site: Site },
): Promise<{ reference: string; escalationId: string }> {
  const { reference } = await createIncident(t, auth, incidentBody(world.site, world.service));
  const res = await t
    .http()
    .post(`/api/incidents/${reference}/escalations`)
    .set(auth)
    .send({ supplier: world.supplier.code, reason: 'WAN link down; desk checks done.' })
    .expect(201);
  return { reference, escalationId: (res.body as { id: string }).id };
}

export async function escalationRow(
  t: TestApp,
  id: string,
): Promise<{
  status: string;
  attempts: number;
  supplier_reference: string | null;
  last_error: string | null;
}> {
  const [row] = await t.db.query(
    'SELECT status, attempts, supplier_reference, last_error FROM escalation WHERE id = $1',
    [id],
  );
  return row;
}

export async function timelineTypes(t: TestApp, reference: string): Promise<string[]> {
  const rows = await t.db.query<{ event_type: string }[]>(
    `SELECT e.event_type FROM incident_event e JOIN incident i ON i.id = e.incident_id
      WHERE i.number = $1 AND e.event_type IS NOT NULL ORDER BY e.id`,
    [String(Number(reference.slice(4)))],
  );
  return rows.map((r) => r.event_type);
}

/** An escalation of the incident in the state its last failed attempt leaves: `failed`, ended, the error kept. */
export async function failedEscalation(t: TestApp, reference: string, supplierId: string): Promise<string> {
  const [{ id }] = await t.db.query<{ id: string }[]>(
    `INSERT INTO escalation (incident_id, supplier_id, status, reason, channel, attempts, last_error, ended_at)
     SELECT i.id, $2, 'failed', 'WAN down', 'webhook', 10, 'HTTP 503', now() FROM incident i WHERE i.number = $1
     RETURNING id`,
    [Number(reference.slice(4)), supplierId],
  );
  return id;
}

/**
 * An escalation of a P2 incident made at `at`, sent and never handed back (supplierHoldsSql holds it from then),
 * with its contract clocks on the 24x7 calendar written as the app writes them (warning at 75 %): acknowledge
 * (30 minutes) met at `acknowledgedAt`, fix (240 minutes) never met, breached at its due time. Its id.
 */
export async function heldP2Escalation(
  db: DataSource,
  incidentId: string,
  supplierId: string,
  at: Date,
  acknowledgedAt: Date,
): Promise<string> {
  const [{ id }] = await db.query<{ id: string }[]>(
    `INSERT INTO escalation (incident_id, supplier_id, status, created_at) VALUES ($1, $2, 'sent', $3) RETURNING id`,
    [incidentId, supplierId, at],
  );
  const after = (minutes: number) => new Date(at.getTime() + minutes * 60_000);
  await db.query(
    `INSERT INTO supplier_clock (escalation_id, target, priority, calendar_code, target_minutes, started_at, warn_at,
       due_at, met_at, breached_at)
     VALUES ($1, 'acknowledge', 'P2', '24x7', 30, $2, $3, $4, $5, NULL), ($1, 'fix', 'P2', '24x7', 240, $2, $6, $7, NULL, $7)`,
    [id, at, after(22.5), after(30), acknowledgedAt, after(180), after(240)],
  );
  return id;
}
