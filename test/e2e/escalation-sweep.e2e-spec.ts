import { createIncident, incidentBody } from '../factories/incident.factory';
import { escalationRow, escalationWorld, timelineTypes } from '../factories/escalation.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { fakeSupplier, type FakeSupplier } from '../helpers/fake-supplier';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * A process that dies between two steps of an escalation leaves the database saying what is owed, and the workers'
 * sweep makes it good:
 * - after a create committed and before its routing rule escalated it: an incident the rule should have escalated,
 *   with no escalation;
 * - after an escalation committed and before its delivery job was added: a `pending` escalation with no job.
 * The states are written as such a crash leaves them (the create and escalation commits through the API, the
 * follow-up step not taken).
 */
describe('escalation sweep after a crash between steps', () => {
  jest.setTimeout(90_000);
  let t: TestApp;
  let agent: SignedInUser;
  let endpoint: FakeSupplier;
  let world: Awaited<ReturnType<typeof escalationWorld>>;

  beforeAll(async () => {
    t = await createTestApp();
    agent = await signedInUser(t, 'agent');
    endpoint = await fakeSupplier({ kind: 'ok' });
    world = await escalationWorld(t, { webhookUrl: endpoint.url, webhookSecret: endpoint.secret });
  });
  afterAll(async () => {
    await t.close();
    await endpoint.close();
  });

  const incidentRow = async (reference: string) =>
    (
      await t.db.query<{ id: string; status: string }[]>(
        'SELECT id, status FROM incident WHERE number = $1',
        [Number(reference.slice(4))],
      )
    )[0];
  const escalationsOf = async (incidentId: string) =>
    t.db.query<{ id: string; status: string; created_by_name: string }[]>(
      'SELECT id, status, created_by_name FROM escalation WHERE incident_id = $1 ORDER BY created_at',
      [incidentId],
    );

  it('escalates an incident its auto rule matched when the process died before escalating it, once, and delivers it', async () => {
    // The create committed; the process died before the rule's escalation (so none exists).
    const { reference } = await createIncident(t, agent.auth, incidentBody(world.site, world.service));
    const crashed = await incidentRow(reference);
    // Another incident of the service: an agent escalated it and the supplier's escalation was cancelled since.
    const handled = await createIncident(t, agent.auth, incidentBody(world.site, world.service));
    const handledRow = await incidentRow(handled.reference);
    await t.db.query(
      `INSERT INTO escalation (incident_id, supplier_id, status, reason, channel, created_at)
       VALUES ($1, $2, 'cancelled', 'by hand', 'webhook', now() - interval '1 minute')`,
      [handledRow.id, world.supplier.id],
    );
    // The rule existed when they were made (created before them), and they are past the create's own follow-up.
    await t.db.query(
      `UPDATE incident SET created_at = now() - interval '1 minute' WHERE id = ANY($1::uuid[])`,
      [[crashed.id, handledRow.id]],
    );
    await t.db.query(
      `INSERT INTO escalation_route (service_id, supplier_id, auto_escalate, created_at)
       VALUES ($1, $2, true, now() - interval '2 minutes')`,
      [world.service.id, world.supplier.id],
    );

    const [made] = await waitFor(
      async () => {
        const rows = await escalationsOf(crashed.id);
        return rows.length > 0 ? rows : undefined;
      },
      'the sweep to escalate the incident',
      30_000,
    );
    expect(made.created_by_name).toBe('Routing rule');
    await waitFor(
      async () => ((await escalationRow(t, made.id)).status === 'sent' ? true : undefined),
      'the delivery',
      30_000,
    );
    expect(endpoint.received.filter((d) => d.body.escalationId === made.id)).toHaveLength(1);
    expect((await incidentRow(reference)).status).toBe('awaiting_supplier');
    expect(await timelineTypes(t, reference)).toEqual(
      expect.arrayContaining(['escalated', 'escalation_delivered']),
    );

    // Two more sweeps: still one escalation; the incident already handled by hand is left alone.
    await new Promise((r) => setTimeout(r, 11_000));
    expect(await escalationsOf(crashed.id)).toHaveLength(1);
    expect((await escalationsOf(handledRow.id)).map((e) => e.status)).toEqual(['cancelled']);
    await t.db.query('DELETE FROM escalation_route WHERE service_id = $1', [world.service.id]);
  });

  it('leaves an incident made before its auto rule existed alone', async () => {
    const { reference } = await createIncident(t, agent.auth, incidentBody(world.site, world.service));
    const before = await incidentRow(reference);
    await t.db.query(`UPDATE incident SET created_at = now() - interval '1 minute' WHERE id = $1`, [
      before.id,
    ]);
    await t.db.query(
      `INSERT INTO escalation_route (service_id, supplier_id, auto_escalate) VALUES ($1, $2, true)`,
      [world.service.id, world.supplier.id],
    );
    await new Promise((r) => setTimeout(r, 11_000));
    expect(await escalationsOf(before.id)).toEqual([]);
    await t.db.query('DELETE FROM escalation_route WHERE service_id = $1', [world.service.id]);
  });

  it('queues a pending escalation whose job was never added (the process died after its commit)', async () => {
    const { reference } = await createIncident(t, agent.auth, incidentBody(world.site, world.service));
    const incident = await incidentRow(reference);
    // The escalation committed; its delivery job was never added.
    const [{ id }] = await t.db.query<{ id: string }[]>(
      `INSERT INTO escalation (incident_id, supplier_id, status, reason, channel, created_at)
       VALUES ($1, $2, 'pending', 'lost job', 'webhook', now() - interval '1 minute') RETURNING id`,
      [incident.id, world.supplier.id],
    );
    await waitFor(
      async () => ((await escalationRow(t, id)).status === 'sent' ? true : undefined),
      'the sweep to queue and deliver it',
      30_000,
    );
    expect(endpoint.received.filter((d) => d.body.escalationId === id)).toHaveLength(1);
  });
});
