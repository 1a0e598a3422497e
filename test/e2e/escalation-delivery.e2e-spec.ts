import { createIncident, incidentBody } from '../factories/incident.factory';
import {
  escalatedIncident,
  escalationRow,
  escalationWorld,
  timelineTypes,
} from '../factories/escalation.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { downSupplierUrl, fakeSupplier, type FakeSupplier } from '../helpers/fake-supplier';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * Escalation deliveries to real local supplier endpoints: one answering 2xx with a reference, one failing with 500
 * three times, one hanging past the timeout, one down. Retries are fast here (4 attempts, 50 ms doubling).
 */
describe('escalation delivery', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let admin: SignedInUser;
  const servers: FakeSupplier[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      env: { ESCALATION_ATTEMPTS: '4', ESCALATION_BACKOFF_MS: '50', ESCALATION_TIMEOUT_MS: '300' },
    });
    agent = await signedInUser(t, 'agent');
    admin = await signedInUser(t, 'admin');
    await signedInUser(t, 'desk_manager');
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(servers.map((s) => s.close()));
  });

  const server = async (...args: Parameters<typeof fakeSupplier>): Promise<FakeSupplier> => {
    const s = await fakeSupplier(...args);
    servers.push(s);
    return s;
  };

  it('PATCH /api/suppliers/{code} sets the channels (the secret is never shown) and refuses a bad URL with 400', async () => {
    const ok = await server({ kind: 'ok' });
    const world = await escalationWorld(t, {});
    const res = await t
      .http()
      .patch(`/api/suppliers/${world.supplier.code}`)
      .set(admin.auth)
      .send({
        webhookUrl: ok.url,
        webhookSecret: ok.secret,
        escalationEmail: 'desk@supplier.test',
        referencePattern: 'SUP-\\d{6}',
      })
      .expect(200);
    expect(res.body).toMatchObject({
      webhookUrl: ok.url,
      webhookSecretSet: true,
      referencePattern: 'SUP-\\d{6}',
    });
    expect(JSON.stringify(res.body)).not.toContain(ok.secret);
    const bad = await t
      .http()
      .patch(`/api/suppliers/${world.supplier.code}`)
      .set(admin.auth)
      .send({ webhookUrl: 'ftp://x', referencePattern: '(' })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('webhookUrl');
    await t
      .http()
      .patch(`/api/suppliers/${world.supplier.code}`)
      .set(agent.auth)
      .send({ webhookUrl: ok.url })
      .expect(403);
  });

  it('delivers a signed webhook with everything an engineer needs; the 2xx reference is stored; the incident awaits the supplier', async () => {
    const ok = await server({ kind: 'ok' });
    const world = await escalationWorld(t, { webhookUrl: ok.url, webhookSecret: ok.secret });
    const { reference, escalationId } = await escalatedIncident(t, agent.auth, world);
    const row = await waitFor(async () => {
      const r = await escalationRow(t, escalationId);
      return r.status === 'sent' ? r : undefined;
    }, 'the delivery');
    expect(row.supplier_reference).toBe('SUP-000001');
    expect(ok.received).toHaveLength(1);
    const [delivery] = ok.received;
    expect(delivery.signatureValid).toBe(true);
    expect(delivery.key).toBe(`escalation-${escalationId}`);
    expect(delivery.body).toMatchObject({
      escalationId,
      reference,
      priority: expect.stringMatching(/^P[1-4]$/),
      service: world.service.code,
      summary: 'Wi-Fi down in outpatients',
      site: { code: world.site.code, accessNotes: 'Escorted visits only: book at the gate lodge.' },
      trust: { code: expect.any(String), name: expect.any(String) },
      reporter: { name: 'Dr Test Reporter', phone: '+447700900111' },
      sla: { responseDueAt: expect.any(String), resolutionDueAt: expect.any(String) },
    });
    const incident = await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200);
    expect(incident.body.status).toBe('awaiting_supplier');
    expect(incident.body.escalations).toEqual([
      {
        id: escalationId,
        supplier: world.supplier.code,
        status: 'sent',
        supplierReference: 'SUP-000001',
        sentAt: expect.any(String),
        acknowledgedAt: null,
        resolvedAt: null,
        clock: null,
      },
    ]);
    expect(await timelineTypes(t, reference)).toEqual(
      expect.arrayContaining(['escalated', 'status_changed', 'escalation_delivered']),
    );
  });

  it('retries a supplier answering 500 three times, with the same Idempotency-Key, and delivers on the fourth', async () => {
    const flaky = await server({ kind: 'fail-then-ok', times: 3 });
    const world = await escalationWorld(t, { webhookUrl: flaky.url, webhookSecret: flaky.secret });
    const { escalationId } = await escalatedIncident(t, agent.auth, world);
    const row = await waitFor(async () => {
      const r = await escalationRow(t, escalationId);
      return r.status === 'sent' ? r : undefined;
    }, 'the delivery after three 500s');
    expect(row).toMatchObject({ attempts: 4, supplier_reference: 'SUP-000004', last_error: null });
    expect(flaky.received.map((d) => d.key)).toEqual(Array(4).fill(`escalation-${escalationId}`));
    // Exponential backoff: each wait at least as long as the one before (50, 100, 200 ms).
    const gaps = flaky.received.slice(1).map((d, i) => d.at - flaky.received[i].at);
    expect(gaps[1]).toBeGreaterThanOrEqual(100);
    expect(gaps[2]).toBeGreaterThanOrEqual(200);
  });

  it('fails an escalation whose supplier hangs past the timeout after the last attempt, tells the desk and hands the incident back', async () => {
    const hang = await server({ kind: 'hang' });
    const world = await escalationWorld(t, { webhookUrl: hang.url, webhookSecret: hang.secret });
    const { reference, escalationId } = await escalatedIncident(t, agent.auth, world);
    const row = await waitFor(
      async () => {
        const r = await escalationRow(t, escalationId);
        return r.status === 'failed' ? r : undefined;
      },
      'the final failure',
      20_000,
    );
    expect(row).toMatchObject({ attempts: 4, last_error: 'no answer within 300 ms' });
    expect(hang.received).toHaveLength(4);
    const incident = await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200);
    expect(incident.body.status).toBe('in_progress');
    expect(incident.body.escalations[0].status).toBe('failed');
    expect(await timelineTypes(t, reference)).toContain('escalation_failed');
    const alerts = await t.db.query(
      `SELECT subject FROM outbound_message m JOIN incident i ON i.id = m.incident_id
        WHERE m.template = 'escalation-alert' AND i.number = $1`,
      [String(Number(reference.slice(4)))],
    );
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    expect(alerts[0].subject).toContain(`[${reference}]`);
  });

  it('fails against a supplier that is down; an agent retries it once the endpoint is back, with the same key', async () => {
    const world = await escalationWorld(t, {
      webhookUrl: await downSupplierUrl(),
      webhookSecret: 'x'.repeat(20),
    });
    const { reference, escalationId } = await escalatedIncident(t, agent.auth, world);
    await waitFor(async () => (await escalationRow(t, escalationId)).status === 'failed', 'the failure');
    expect((await escalationRow(t, escalationId)).last_error).toMatch(/^network: /);
    await t
      .http()
      .post(`/api/incidents/${reference}/escalations/${escalationId}/retry`)
      .set(agent.auth)
      .send({})
      .expect(200);
    // Still down: the new round fails as well.
    await waitFor(
      async () => (await escalationRow(t, escalationId)).status === 'failed',
      'the second failure',
    );
    const back = await server({ kind: 'ok', reference: () => 'BACK-1' });
    await t
      .http()
      .patch(`/api/suppliers/${world.supplier.code}`)
      .set(admin.auth)
      .send({ webhookUrl: back.url, webhookSecret: back.secret })
      .expect(200);
    const retried = await t
      .http()
      .post(`/api/incidents/${reference}/escalations/${escalationId}/retry`)
      .set(agent.auth)
      .send({})
      .expect(200);
    expect(retried.body).toEqual({ id: escalationId, supplier: world.supplier.code, status: 'pending' });
    await waitFor(
      async () => (await escalationRow(t, escalationId)).status === 'sent',
      'the retried delivery',
    );
    expect(back.received.map((d) => d.key)).toEqual([`escalation-${escalationId}`]);
    expect((await t.http().get(`/api/incidents/${reference}`).set(agent.auth)).body.status).toBe(
      'awaiting_supplier',
    );
    await t
      .http()
      .post(`/api/incidents/${reference}/escalations/${escalationId}/retry`)
      .set(agent.auth)
      .send({})
      .expect(409);
  });

  it('emails a supplier without a webhook through the outbox: its template, [INC-…] and the escalation id in the subject', async () => {
    const world = await escalationWorld(t, { escalationEmail: 'noc@supplier-mail.test' });
    const { reference, escalationId } = await escalatedIncident(t, agent.auth, world);
    await waitFor(async () => (await escalationRow(t, escalationId)).status === 'sent', 'the email delivery');
    const [mail] = await t.db.query(
      `SELECT template, to_address, subject, "references" FROM outbound_message WHERE template LIKE 'supplier-escalation%'
          AND subject LIKE $1`,
      [`%${escalationId}%`],
    );
    expect(mail).toMatchObject({ template: 'supplier-escalation', to_address: 'noc@supplier-mail.test' });
    expect(mail.subject).toContain(`[${reference}]`);
    expect(mail.references).toEqual([`<escalation-${escalationId}@rosedesk.local>`]);
  });

  it('refuses bad escalations with clear 4xx and stores nothing', async () => {
    const ok = await server({ kind: 'ok' });
    const world = await escalationWorld(t, { webhookUrl: ok.url, webhookSecret: ok.secret });
    const { reference } = await createIncident(t, agent.auth, incidentBody(world.site, world.service));
    const post = (body: object) =>
      t.http().post(`/api/incidents/${reference}/escalations`).set(agent.auth).send(body);
    expect((await post({ supplier: 'nosuch', reason: 'x' }).expect(422)).body).toMatchObject({
      error: 'ESCALATION.SUPPLIER_UNKNOWN',
      field: 'supplier',
    });
    await post({ supplier: world.supplier.code }).expect(400);
    const noChannel = await escalationWorld(t, {});
    await post({ supplier: noChannel.supplier.code, reason: 'x' }).expect(422);
    await post({ supplier: world.supplier.code, reason: 'x' }).expect(201);
    expect((await post({ supplier: world.supplier.code, reason: 'again' }).expect(409)).body.error).toBe(
      'ESCALATION.ALREADY_OPEN',
    );
    await t
      .http()
      .post('/api/incidents/INC-999999/escalations')
      .set(agent.auth)
      .send({ supplier: world.supplier.code, reason: 'x' })
      .expect(404);
    const incident = await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200);
    expect(incident.body.escalations).toHaveLength(1);
  });
});
