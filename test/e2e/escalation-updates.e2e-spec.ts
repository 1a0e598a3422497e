import { createIncident, incidentBody } from '../factories/incident.factory';
import {
  escalatedIncident,
  escalationRow,
  escalationWorld,
  timelineTypes,
} from '../factories/escalation.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { fakeSupplier, supplierSignature, type FakeSupplier } from '../helpers/fake-supplier';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** Suppliers' signed updates back: signatures, stale timestamps, replayed keys, statuses and what they move. */
describe('supplier updates back', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let admin: SignedInUser;
  let endpoint: FakeSupplier;
  let world: Awaited<ReturnType<typeof escalationWorld>>;

  beforeAll(async () => {
    t = await createTestApp();
    agent = await signedInUser(t, 'agent');
    admin = await signedInUser(t, 'admin');
    endpoint = await fakeSupplier({ kind: 'ok', reference: () => null });
    world = await escalationWorld(t, { webhookUrl: endpoint.url, webhookSecret: endpoint.secret });
  });
  afterAll(async () => {
    await t.close();
    await endpoint.close();
  });

  const post = (body: object, key: string, headers?: Record<string, string>, code = world.supplier.code) => {
    const raw = JSON.stringify(body);
    return t
      .http()
      .post(`/suppliers/${code}/updates`)
      .set('content-type', 'application/json')
      .set(headers ?? supplierSignature(endpoint.secret, raw, key))
      .send(raw);
  };
  const stored = async (): Promise<number> =>
    Number((await t.db.query('SELECT count(*)::int AS n FROM supplier_update'))[0].n);
  const incidentOf = async (reference: string) =>
    (await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200)).body;

  it('takes a signed acknowledgement with the supplier reference: the handoff is accepted, the timeline says so', async () => {
    const { reference, escalationId } = await escalatedIncident(t, agent.auth, world);
    await waitFor(async () => (await escalationRow(t, escalationId)).status === 'sent', 'the delivery');
    const res = await post(
      { reference, supplierReference: 'VMB-000042', status: 'acknowledged' },
      'ack-1',
    ).expect(200);
    expect(res.body).toEqual({ escalationId, status: 'acknowledged' });
    const incident = await incidentOf(reference);
    expect(incident.escalations[0]).toMatchObject({
      status: 'acknowledged',
      supplierReference: 'VMB-000042',
      acknowledgedAt: expect.any(String),
    });
    expect(incident.status).toBe('awaiting_supplier');
    expect(await timelineTypes(t, reference)).toContain('supplier_update');
  });

  it('refuses a missing signature, a bad one and a stale timestamp with 401, storing nothing', async () => {
    const { reference, escalationId } = await escalatedIncident(t, agent.auth, world);
    await waitFor(async () => (await escalationRow(t, escalationId)).status === 'sent', 'the delivery');
    const before = { stored: await stored(), timeline: (await timelineTypes(t, reference)).length };
    const body = { reference, status: 'in_progress' };
    const raw = JSON.stringify(body);
    await post(body, 'k', { 'Idempotency-Key': 'k' }).expect(401);
    await post(body, 'k', supplierSignature('not-the-secret-at-all', raw, 'k')).expect(401);
    const stale = await post(
      body,
      'k',
      supplierSignature(endpoint.secret, raw, 'k', new Date(Date.now() - 6 * 60_000)),
    ).expect(401);
    expect(stale.body).toMatchObject({ error: 'ESCALATION.SIGNATURE_INVALID' });
    await post(
      body,
      'k',
      supplierSignature(endpoint.secret, raw, 'k', new Date(Date.now() + 6 * 60_000)),
    ).expect(401);
    // Signed for one body, sent with another.
    await post({ ...body, status: 'resolved' }, 'k', supplierSignature(endpoint.secret, raw, 'k')).expect(
      401,
    );
    await post(body, 'k', undefined, 'nosuchsupplier').expect(401);
    expect(await stored()).toBe(before.stored);
    expect((await timelineTypes(t, reference)).length).toBe(before.timeline);
  });

  it('answers a replayed key with the same body again with no second effect, and refuses it with another body (409)', async () => {
    const { reference } = await escalatedIncident(t, agent.auth, world);
    const body = {
      reference,
      status: 'engineer_dispatched',
      eta: '2030-01-02T10:00:00Z',
      message: 'Engineer on the way',
    };
    const first = await post(body, 'dispatch-1').expect(200);
    const again = await post(body, 'dispatch-1').expect(200);
    expect(again.body).toEqual(first.body);
    expect((await timelineTypes(t, reference)).filter((x) => x === 'supplier_update')).toHaveLength(1);
    const clash = await post({ ...body, message: 'different' }, 'dispatch-1').expect(409);
    expect(clash.body).toMatchObject({ error: 'ESCALATION.IDEMPOTENCY_KEY_REUSED' });
    const [event] = await t.db.query(
      `SELECT e.data FROM incident_event e JOIN incident i ON i.id = e.incident_id
        WHERE i.number = $1 AND e.event_type = 'supplier_update'`,
      [String(Number(reference.slice(4)))],
    );
    expect(event.data).toMatchObject({ status: 'engineer_dispatched', eta: '2030-01-02T10:00:00.000Z' });
  });

  it("hands the incident back to the desk on the supplier's resolved (in progress, not closed) and on a question", async () => {
    const resolved = await escalatedIncident(t, agent.auth, world);
    const res = await post(
      { reference: resolved.reference, status: 'resolved', message: 'Replaced the line card.' },
      'res-1',
    ).expect(200);
    expect(res.body.status).toBe('resolved');
    const incident = await incidentOf(resolved.reference);
    expect(incident.status).toBe('in_progress');
    expect(incident.escalations[0]).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String) });
    const asked = await escalatedIncident(t, agent.auth, world);
    await post(
      { escalationId: asked.escalationId, status: 'needs_info', message: 'Which cabinet?' },
      'q-1',
    ).expect(200);
    expect((await incidentOf(asked.reference)).status).toBe('in_progress');
  });

  it('answers 404 for an incident not escalated to that supplier, and 400 for a bad body', async () => {
    const { reference } = await createIncident(t, agent.auth, incidentBody(world.site, world.service));
    await post({ reference, status: 'acknowledged' }, 'x-1').expect(404);
    await post({ reference: 'INC-999999', status: 'acknowledged' }, 'x-2').expect(404);
    const bad = await post({ reference, status: 'party' }, 'x-3').expect(400);
    expect(JSON.stringify(bad.body)).toContain('status');
  });

  it('escalates a new incident at once when a routing rule says so (admin API)', async () => {
    const route = await t
      .http()
      .post('/api/escalation-routes')
      .set(admin.auth)
      .send({ service: world.service.code, supplier: world.supplier.code, autoEscalate: true })
      .expect(201);
    expect(route.body).toMatchObject({
      service: world.service.code,
      supplier: world.supplier.code,
      siteClass: null,
    });
    await t
      .http()
      .post('/api/escalation-routes')
      .set(admin.auth)
      .send({ service: world.service.code, supplier: world.supplier.code })
      .expect(409);
    const { reference } = await createIncident(t, agent.auth, incidentBody(world.site, world.service));
    const escalations = await waitFor(async () => {
      const body = await incidentOf(reference);
      return body.escalations.length > 0 ? body.escalations : undefined;
    }, 'the automatic escalation');
    expect(escalations[0]).toMatchObject({ supplier: world.supplier.code });
    expect((await incidentOf(reference)).status).toBe('awaiting_supplier');
    await t.http().delete(`/api/escalation-routes/${route.body.id}`).set(admin.auth).expect(204);
  });

  it("sets a supplier's contract targets through the admin API, refusing an unknown calendar and a repeated priority", async () => {
    const path = `/api/suppliers/${world.supplier.code}/targets`;
    const target = { priority: 'P1', calendar: '24x7', acknowledgeMinutes: 15, fixMinutes: 240 };
    const unknown = await t
      .http()
      .put(path)
      .set(admin.auth)
      .send({ targets: [{ ...target, calendar: 'nosuch' }] })
      .expect(422);
    expect(unknown.body).toMatchObject({ error: 'SLA.UNKNOWN_CALENDAR' });
    await t
      .http()
      .put(path)
      .set(admin.auth)
      .send({ targets: [target, target] })
      .expect(400);
    await t
      .http()
      .put(path)
      .set(admin.auth)
      .send({ targets: [{ ...target, fixMinutes: 0 }] })
      .expect(400);
    await t
      .http()
      .put(path)
      .set(agent.auth)
      .send({ targets: [target] })
      .expect(403);
    const set = await t
      .http()
      .put(path)
      .set(admin.auth)
      .send({ targets: [target, { ...target, priority: 'P2', calendar: 'office', assumed: true }] })
      .expect(200);
    expect(set.body).toEqual([
      { ...target, assumed: false },
      { ...target, priority: 'P2', calendar: 'office', assumed: true },
    ]);
    await t.http().put(path).set(admin.auth).send({ targets: [] }).expect(200);
    expect((await t.http().get(path).set(admin.auth).expect(200)).body).toEqual([]);
  });
});
