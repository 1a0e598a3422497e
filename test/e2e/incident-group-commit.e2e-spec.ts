import { randomBytes } from 'node:crypto';
import { SYSTEM_ACTOR } from '../../src/modules/audit/actor';
import { IncidentsService, type NewIncident } from '../../src/modules/incidents/incidents.service';
import { incidentBody, incidentWorld } from '../factories/incident.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** What each incident of a create must have on disk: the row, its "created" event, audit entry, acknowledgement and clocks. */
const writtenWhole = async (t: TestApp, ids: string[]): Promise<Array<Record<string, number | string>>> =>
  t.db.query(
    `SELECT i.id,
       (SELECT count(*) FROM incident_event e WHERE e.incident_id = i.id AND e.event_type = 'created')::int AS events,
       (SELECT count(*) FROM audit_entry a WHERE a.entity_id = i.id AND a.action = 'incident.created')::int AS audits,
       (SELECT count(*) FROM outbound_message m WHERE m.incident_id = i.id)::int AS acknowledgements,
       (SELECT count(*) FROM incident_sla s WHERE s.incident_id = i.id)::int AS clocks
     FROM incident i WHERE i.id = ANY($1::uuid[]) ORDER BY i.id`,
    [ids],
  );

/**
 * Creates without a channel's own writes share a group commit: those arriving while others are written go into
 * the next statement together. Each must still be written whole, succeed or fail alone, and answer as it would alone.
 */
describe('incident create: group commit', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let incidents: IncidentsService;

  beforeAll(async () => {
    t = await createTestApp();
    agent = await signedInUser(t, 'agent');
    incidents = t.app.get(IncidentsService);
  });
  afterAll(async () => {
    await t.close();
  });

  /** `count` API creates sent at once, the i-th with body(i). */
  const postAll = (count: number, body: (i: number) => object) =>
    Promise.all(
      Array.from({ length: count }, (_, i) => t.http().post('/api/incidents').set(agent.auth).send(body(i))),
    );

  const newIncident = (
    siteCode: string,
    serviceCode: string,
    overrides: Partial<NewIncident> = {},
  ): NewIncident => ({
    channel: 'api',
    siteCode,
    serviceCode,
    impact: 'one_user',
    urgency: 'low',
    summary: 'Group commit check',
    description: 'Written in a batch with others.',
    reporter: { name: 'Batch Reporter', email: `batch.${randomBytes(4).toString('hex')}@example.test` },
    ...overrides,
  });

  it('answers 40 concurrent API creates with 201 and distinct references, each written whole, sharing statements', async () => {
    const { site, service } = await incidentWorld(t);
    const responses = await postAll(40, (i) =>
      incidentBody(site, service, {
        summary: `Concurrent fault ${i}`,
        reporter: { name: `Reporter ${i}`, email: `r${i}.${site.code}@example.test` },
      }),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(40).fill(201));
    expect(new Set(responses.map((r) => r.body.reference)).size).toBe(40);
    responses.forEach((r, i) =>
      expect(r.body).toMatchObject({
        summary: `Concurrent fault ${i}`,
        reporter: { email: `r${i}.${site.code}@example.test` },
      }),
    );

    const ids: Array<{ id: string; created_at: Date }> = await t.db.query(
      `SELECT id, created_at FROM incident WHERE site_id = $1`,
      [site.id],
    );
    expect(ids).toHaveLength(40);
    const rows = await writtenWhole(
      t,
      ids.map((r) => r.id),
    );
    expect(
      rows.every((r) => r.events === 1 && r.audits === 1 && r.acknowledgements === 1 && r.clocks === 2),
    ).toBe(true);
    // One statement is one transaction, whose now() every row it writes shares: fewer distinct times than incidents
    // means several were written together.
    expect(new Set(ids.map((r) => r.created_at.getTime())).size).toBeLessThan(40);
  });

  it('links every incident of one batch from the same new address to one new contact', async () => {
    const { site, service } = await incidentWorld(t);
    const email = `same.${randomBytes(4).toString('hex')}@example.test`;
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        incidents.create(
          newIncident(site.code, service.code, {
            summary: `Same reporter ${i}`,
            reporter: { name: 'Same Person', email },
          }),
          SYSTEM_ACTOR,
        ),
      ),
    );
    const contacts: Array<{ id: string }> = await t.db.query(`SELECT id FROM contact WHERE email = $1`, [
      email,
    ]);
    expect(contacts).toHaveLength(1);
    const linked: Array<{ reporter_contact_id: string }> = await t.db.query(
      `SELECT reporter_contact_id FROM incident WHERE id = ANY($1::uuid[])`,
      [created.map((c) => c.id)],
    );
    expect(linked.map((r) => r.reporter_contact_id)).toEqual(Array(8).fill(contacts[0].id));
  });

  it('fails only the incident the database refuses; the others in its batch are written whole', async () => {
    const { site, service } = await incidentWorld(t);
    // A channel that hands over a summary longer than the column: the batch statement fails, then each is written alone.
    const inputs = Array.from({ length: 12 }, (_, i) =>
      newIncident(site.code, service.code, { summary: i === 6 ? 'x'.repeat(250) : `Batch neighbour ${i}` }),
    );
    const settled = await Promise.allSettled(inputs.map((input) => incidents.create(input, SYSTEM_ACTOR)));
    expect(settled.map((s) => s.status)).toEqual(inputs.map((_, i) => (i === 6 ? 'rejected' : 'fulfilled')));
    expect(String((settled[6] as PromiseRejectedResult).reason)).toMatch(/too long/);

    const written: Array<{ id: string; summary: string; reporter_email: string }> = await t.db.query(
      `SELECT id, summary, reporter_email FROM incident WHERE site_id = $1`,
      [site.id],
    );
    expect(written.map((r) => r.summary).sort()).toEqual(
      inputs
        .filter((_, i) => i !== 6)
        .map((i) => i.summary)
        .sort(),
    );
    const rows = await writtenWhole(
      t,
      written.map((r) => r.id),
    );
    expect(
      rows.every((r) => r.events === 1 && r.audits === 1 && r.acknowledgements === 1 && r.clocks === 2),
    ).toBe(true);
    // Nothing of the refused one: no acknowledgement to its reporter, no contact.
    const refusedEmail = inputs[6].reporter.email;
    const [left] = await t.db.query(
      `SELECT (SELECT count(*) FROM outbound_message WHERE to_address = $1)::int AS mail, (SELECT count(*) FROM contact WHERE email = $1)::int AS contacts`,
      [refusedEmail],
    );
    expect(left).toEqual({ mail: 0, contacts: 0 });
  });

  it('answers an unknown site with 422 for that create alone', async () => {
    const { site, service } = await incidentWorld(t);
    const responses = await postAll(10, (i) =>
      incidentBody(site, service, {
        siteCode: i === 4 ? '99999999' : site.code,
        summary: `Mixed batch ${i}`,
      }),
    );
    expect(responses.map((r) => r.status)).toEqual(
      Array.from({ length: 10 }, (_, i) => (i === 4 ? 422 : 201)),
    );
    expect(responses[4].body).toMatchObject({ error: 'DIRECTORY.UNKNOWN_REFERENCE', field: 'siteCode' });
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM incident WHERE site_id = $1`, [site.id]);
    expect(n).toBe(9);
  });

  it('answers a reported time in the future with 400 for that create alone', async () => {
    const { site, service } = await incidentWorld(t);
    const future = new Date(Date.now() + 3_600_000);
    const settled = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        incidents.create(
          newIncident(site.code, service.code, { reportedAt: i === 2 ? future : undefined }),
          SYSTEM_ACTOR,
        ),
      ),
    );
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect((settled[2] as PromiseRejectedResult).reason).toMatchObject({ status: 400 });
  });
});
