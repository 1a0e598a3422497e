import { FixedClock } from '../../src/common/time/clock';
import { supplierClocksSql, supplierHoldsSql } from '../../src/modules/escalation/escalation-sql';
import {
  escalatedIncident,
  escalationRow,
  escalationWorld,
  setTargets,
  timelineTypes,
} from '../factories/escalation.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { fakeSupplier, supplierSignature, type FakeSupplier } from '../helpers/fake-supplier';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

const T0 = new Date('2026-12-07T10:00:00Z');
const minutes = (m: number): Date => new Date(T0.getTime() + m * 60_000);

/**
 * The supplier's two contract clocks beside the customer SLA, with the desk clock frozen and moved by hand (the
 * workers' poll acts on whatever falls due): the chase at 75 % of acknowledge, once; warnings and breaches
 * recorded against the supplier; the desk managers told of a breach; acceptance only when the reference arrives.
 */
describe('supplier contract clocks (frozen time)', () => {
  const clock = new FixedClock(T0);
  let t: TestApp;
  let agent: SignedInUser;
  let silent: FakeSupplier;
  let world: Awaited<ReturnType<typeof escalationWorld>>;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { ESCALATION_CLOCK_POLL_MS: '100' } });
    agent = await signedInUser(t, 'agent');
    await signedInUser(t, 'desk_manager');
    // Delivered with a 2xx but no reference: not accepted yet.
    silent = await fakeSupplier({ kind: 'ok', reference: () => null });
    world = await escalationWorld(t, { webhookUrl: silent.url, webhookSecret: silent.secret });
    await setTargets(t, world.supplier.id, 20, 60);
  });
  afterAll(async () => {
    await t.close();
    await silent.close();
  });

  const incidentOf = async (reference: string) =>
    (await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200)).body;
  const update = (body: object, key: string) => {
    const raw = JSON.stringify(body);
    return t
      .http()
      .post(`/suppliers/${world.supplier.code}/updates`)
      .set('content-type', 'application/json')
      .set(supplierSignature(silent.secret, raw, key, clock.now()))
      .send(raw);
  };

  it('runs acknowledge and fix from the escalation; chases once at 75 %, warns, breaches and tells the desk managers', async () => {
    clock.set(T0);
    const { reference, escalationId } = await escalatedIncident(t, agent.auth, world);
    await waitFor(async () => (await escalationRow(t, escalationId)).status === 'sent', 'the delivery');
    const [escalation] = (await incidentOf(reference)).escalations;
    expect(escalation.clock).toEqual({
      acknowledge: { dueAt: minutes(20).toISOString(), metAt: null, breached: false },
      fix: { dueAt: minutes(60).toISOString(), metAt: null, breached: false },
    });
    expect(escalation.supplierReference).toBeNull();

    clock.set(minutes(14));
    await new Promise((r) => setTimeout(r, 400));
    expect(silent.received.filter((d) => d.key === `chase-${escalationId}`)).toHaveLength(0);

    clock.set(minutes(15));
    await waitFor(
      () => Promise.resolve(silent.received.some((d) => d.key === `chase-${escalationId}`)),
      'the chase',
    );
    const chase = silent.received.find((d) => d.key === `chase-${escalationId}`);
    expect(chase?.body).toMatchObject({ escalationId, reference, chase: true });
    await waitFor(
      async () => (await timelineTypes(t, reference)).includes('supplier_chased'),
      'the chase on the timeline',
    );
    expect(await timelineTypes(t, reference)).toContain('supplier_clock_warning');

    clock.set(minutes(20));
    await waitFor(
      async () => (await incidentOf(reference)).escalations[0].clock.acknowledge.breached === true,
      'the acknowledge breach',
    );
    expect(await timelineTypes(t, reference)).toContain('supplier_clock_breached');
    const alerts = await t.db.query(
      `SELECT m.subject FROM outbound_message m WHERE m.template = 'escalation-alert' AND m.subject LIKE $1`,
      [`[${reference}]%`],
    );
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    expect(alerts[0].subject).toContain('breached its acknowledge target');
    // Still once: more polls, no second chase.
    await new Promise((r) => setTimeout(r, 400));
    expect(silent.received.filter((d) => d.key === `chase-${escalationId}`)).toHaveLength(1);
    // The customer SLA is apart: no SLA breach from this.
    expect(await timelineTypes(t, reference)).not.toContain('sla_breached');

    // An acknowledgement without a reference does not accept the handoff; the reference does (late).
    clock.set(minutes(25));
    await update({ reference, status: 'acknowledged' }, 'ack-no-ref').expect(200);
    expect((await incidentOf(reference)).escalations[0].clock.acknowledge.metAt).toBeNull();
    await update({ reference, status: 'in_progress', supplierReference: 'VMB-7' }, 'ref-1').expect(200);
    clock.set(minutes(50));
    await update({ reference, status: 'resolved', message: 'fixed' }, 'res-1').expect(200);
    const done = (await incidentOf(reference)).escalations[0];
    expect(done.clock).toEqual({
      acknowledge: { dueAt: minutes(20).toISOString(), metAt: minutes(25).toISOString(), breached: true },
      fix: { dueAt: minutes(60).toISOString(), metAt: minutes(50).toISOString(), breached: false },
    });
    // Past the fix due time nothing more happens to a met clock.
    clock.set(minutes(70));
    await new Promise((r) => setTimeout(r, 400));
    expect((await incidentOf(reference)).escalations[0].clock.fix.breached).toBe(false);

    const rows = await t.db.query(
      `SELECT target, breached, met_at FROM (${supplierClocksSql()}) c WHERE c.escalation_id = $1 ORDER BY target`,
      [escalationId],
    );
    expect(rows).toEqual([
      { target: 'acknowledge', breached: true, met_at: minutes(25) },
      { target: 'fix', breached: false, met_at: minutes(50) },
    ]);
    const [hold] = await t.db.query(
      `SELECT held_from, held_until FROM (${supplierHoldsSql()}) h WHERE h.escalation_id = $1`,
      [escalationId],
    );
    expect(hold).toEqual({ held_from: T0, held_until: minutes(50) });
  });

  it('does not chase a supplier whose reference came with the delivery (accepted at once)', async () => {
    clock.set(T0);
    const prompt = await fakeSupplier({ kind: 'ok', reference: () => 'IMJ-1' });
    try {
      const other = await escalationWorld(t, { webhookUrl: prompt.url, webhookSecret: prompt.secret });
      await setTargets(t, other.supplier.id, 20, 60);
      const { reference, escalationId } = await escalatedIncident(t, agent.auth, other);
      await waitFor(async () => (await escalationRow(t, escalationId)).status === 'sent', 'the delivery');
      expect((await incidentOf(reference)).escalations[0].clock.acknowledge.metAt).toBe(T0.toISOString());
      clock.set(minutes(30));
      await new Promise((r) => setTimeout(r, 400));
      expect(prompt.received.map((d) => d.key)).toEqual([`escalation-${escalationId}`]);
      expect(await timelineTypes(t, reference)).not.toContain('supplier_clock_warning');
    } finally {
      await prompt.close();
    }
  });
});
