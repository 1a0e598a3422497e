import { createIncident, incidentBody } from '../factories/incident.factory';
import { escalationRow, escalationWorld, setTargets } from '../factories/escalation.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { fakeSupplier, type FakeSupplier } from '../helpers/fake-supplier';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * Supplier users (a VMB-like and an Imerja-like supplier): only their own escalations, no internal notes, updates
 * through the API; the loop guard on replies passed on to suppliers; the scorecard.
 */
describe('supplier access, the loop guard and the scorecard', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let manager: SignedInUser;
  let vmbUser: SignedInUser;
  let vmbEnd: FakeSupplier;
  let imjEnd: FakeSupplier;
  let vmb: Awaited<ReturnType<typeof escalationWorld>>;
  let imj: Awaited<ReturnType<typeof escalationWorld>>;
  let both: { reference: string; vmbId: string; imjId: string };
  let imerjaOnly: { reference: string; imjId: string };

  const escalate = async (reference: string, supplier: string): Promise<string> => {
    const res = await t
      .http()
      .post(`/api/incidents/${reference}/escalations`)
      .set(agent.auth)
      .send({ supplier, reason: 'Needs the supplier' })
      .expect(201);
    await waitFor(async () => (await escalationRow(t, res.body.id)).status === 'sent', 'the delivery');
    return res.body.id;
  };

  beforeAll(async () => {
    t = await createTestApp();
    agent = await signedInUser(t, 'agent');
    manager = await signedInUser(t, 'desk_manager');
    vmbEnd = await fakeSupplier({ kind: 'ok' });
    imjEnd = await fakeSupplier({ kind: 'ok' });
    vmb = await escalationWorld(t, { webhookUrl: vmbEnd.url, webhookSecret: vmbEnd.secret });
    imj = await escalationWorld(t, { webhookUrl: imjEnd.url, webhookSecret: imjEnd.secret });
    await setTargets(t, vmb.supplier.id, 30, 240);
    vmbUser = await signedInUser(t, 'supplier', { supplierId: vmb.supplier.id });
    const a = await createIncident(t, agent.auth, incidentBody(vmb.site, vmb.service));
    await t
      .http()
      .post(`/api/incidents/${a.reference}/notes`)
      .set(agent.auth)
      .send({ body: 'INTERNAL: caller is difficult' })
      .expect(201);
    both = {
      reference: a.reference,
      vmbId: await escalate(a.reference, vmb.supplier.code),
      imjId: await escalate(a.reference, imj.supplier.code),
    };
    const b = await createIncident(t, agent.auth, incidentBody(imj.site, imj.service));
    imerjaOnly = { reference: b.reference, imjId: await escalate(b.reference, imj.supplier.code) };
  });
  afterAll(async () => {
    await t.close();
    await vmbEnd.close();
    await imjEnd.close();
  });

  it('a VMB user reads its own escalated incident, without internal notes, and gets 404 for an Imerja-only one', async () => {
    const own = await t.http().get(`/api/incidents/${both.reference}`).set(vmbUser.auth).expect(200);
    expect(own.body.escalations.map((e: { supplier: string }) => e.supplier)).toContain(vmb.supplier.code);
    const timeline = await t
      .http()
      .get(`/api/incidents/${both.reference}/timeline`)
      .set(vmbUser.auth)
      .expect(200);
    expect(JSON.stringify(timeline.body)).not.toContain('INTERNAL');
    await t.http().get(`/api/incidents/${imerjaOnly.reference}`).set(vmbUser.auth).expect(404);
    await t.http().get(`/api/incidents/${imerjaOnly.reference}/timeline`).set(vmbUser.auth).expect(404);
  });

  it("a VMB user updates its own escalation through the API, and gets 404 for Imerja's", async () => {
    const ok = await t
      .http()
      .post(`/api/incidents/${both.reference}/escalations/${both.vmbId}/updates`)
      .set(vmbUser.auth)
      .send({ status: 'acknowledged', supplierReference: 'VMB-123' })
      .expect(200);
    expect(ok.body).toEqual({ escalationId: both.vmbId, status: 'acknowledged' });
    await t
      .http()
      .post(`/api/incidents/${imerjaOnly.reference}/escalations/${imerjaOnly.imjId}/updates`)
      .set(vmbUser.auth)
      .send({ status: 'resolved' })
      .expect(404);
    // Imerja's escalation on an incident the VMB user can see is not theirs either.
    await t
      .http()
      .post(`/api/incidents/${both.reference}/escalations/${both.imjId}/updates`)
      .set(vmbUser.auth)
      .send({ status: 'resolved' })
      .expect(404);
    expect((await escalationRow(t, both.imjId)).status).toBe('sent');
    await t
      .http()
      .post(`/api/incidents/${both.reference}/escalations`)
      .set(vmbUser.auth)
      .send({ supplier: vmb.supplier.code, reason: 'x' })
      .expect(403);
  });

  it("passes public replies to the suppliers holding the incident, but never a supplier's own reply back to it (loop guard)", async () => {
    const updates = (end: FakeSupplier) => end.received.filter((d) => d.body.type === 'update');
    await t
      .http()
      .post(`/api/incidents/${both.reference}/replies`)
      .set(vmbUser.auth)
      .send({ body: 'VMB: engineer booked' })
      .expect(201);
    await waitFor(() => Promise.resolve(updates(imjEnd).length === 1), 'the reply passed to Imerja');
    expect(updates(imjEnd)[0].body).toMatchObject({
      escalationId: both.imjId,
      reference: both.reference,
      message: 'VMB: engineer booked',
    });
    await t
      .http()
      .post(`/api/incidents/${both.reference}/notes`)
      .set(agent.auth)
      .send({ body: 'INTERNAL again' })
      .expect(201);
    await t
      .http()
      .post(`/api/incidents/${both.reference}/replies`)
      .set(agent.auth)
      .send({ body: 'Desk: thanks all' })
      .expect(201);
    await waitFor(
      () => Promise.resolve(updates(vmbEnd).length === 1 && updates(imjEnd).length === 2),
      'the desk reply to both',
    );
    expect(updates(vmbEnd).map((d) => d.body.message)).toEqual(['Desk: thanks all']);
    expect(JSON.stringify([...vmbEnd.received, ...imjEnd.received])).not.toContain('INTERNAL');
    expect(updates(vmbEnd)[0].signatureValid).toBe(true);
  });

  it('gives the scorecard to desk managers and to a supplier user for its own code only', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const card = await t
      .http()
      .get(`/api/suppliers/${vmb.supplier.code}/scorecard?from=2020-01-01&to=${today}`)
      .set(manager.auth)
      .expect(200);
    expect(card.body).toMatchObject({
      supplier: vmb.supplier.code,
      escalations: 1,
      acknowledgeMetPercent: 100,
      fixMetPercent: null,
      medianAcknowledgeMinutes: expect.any(Number),
      reopensAfterResolved: 0,
      notOurs: 0,
    });
    await t
      .http()
      .get(`/api/suppliers/${vmb.supplier.code}/scorecard?from=2020-01-01&to=${today}`)
      .set(vmbUser.auth)
      .expect(200);
    await t
      .http()
      .get(`/api/suppliers/${imj.supplier.code}/scorecard?from=2020-01-01&to=${today}`)
      .set(vmbUser.auth)
      .expect(404);
    await t
      .http()
      .get(`/api/suppliers/${vmb.supplier.code}/scorecard?from=2020-13&to=${today}`)
      .set(manager.auth)
      .expect(400);
    await t
      .http()
      .get(`/api/suppliers/${vmb.supplier.code}/scorecard?from=2020-01-01&to=${today}`)
      .set(agent.auth)
      .expect(403);
  });
});
