import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { escalationRow, escalationWorld, setTargets } from '../factories/escalation.factory';
import { createUser, signedInUser, TEST_PASSWORD, type SignedInUser } from '../factories/user.factory';
import { ConsoleClient } from '../helpers/console-client';
import { fakeSupplier, type FakeSupplier } from '../helpers/fake-supplier';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** The incident page's escalations panel and escalate form (server-rendered, CSRF-checked). */
describe('console: escalations panel', () => {
  let t: TestApp;
  let api: SignedInUser;
  let endpoint: FakeSupplier;

  beforeAll(async () => {
    t = await createTestApp();
    api = await signedInUser(t, 'agent');
    endpoint = await fakeSupplier({ kind: 'ok', reference: () => 'VMB-555' });
  });
  afterAll(async () => {
    await t.close();
    await endpoint.close();
  });

  it('escalates from the form and shows the escalation with its supplier reference and clocks', async () => {
    const world = await escalationWorld(t, { webhookUrl: endpoint.url, webhookSecret: endpoint.secret });
    await setTargets(t, world.supplier.id, 30, 240);
    const { reference } = await createIncident(t, api.auth, incidentBody(world.site, world.service));
    const u = await createUser(t.db, t.app.get(PasswordHasher), 'agent');
    const c = new ConsoleClient(t);
    expect((await c.signIn(u.email, TEST_PASSWORD)).status).toBe(303);
    const page = await c.get(`/console/incidents/${reference}`);
    expect(page.text).toContain('Not escalated to a supplier.');
    expect(page.text).toContain(`<option value="${world.supplier.code}">`);

    const refused = await c.post(`/console/incidents/${reference}/escalate`, {
      _csrf: c.csrf,
      supplier: '',
      reason: '',
    });
    expect(refused.text).toContain('Choose a supplier');
    const noToken = await c.post(`/console/incidents/${reference}/escalate`, {
      _csrf: 'x'.repeat(43),
      supplier: world.supplier.code,
      reason: 'WAN down',
    });
    expect(noToken.status).toBe(403);

    await c.get(`/console/incidents/${reference}`);
    const done = await c.post(`/console/incidents/${reference}/escalate`, {
      _csrf: c.csrf,
      supplier: world.supplier.code,
      reason: 'WAN down since 09:00',
    });
    expect(done.status).toBeLessThan(400);
    const [row] = await t.db.query('SELECT id FROM escalation WHERE supplier_id = $1', [world.supplier.id]);
    await waitFor(async () => (await escalationRow(t, row.id)).status === 'sent', 'the delivery');
    const after = await c.get(`/console/incidents/${reference}`);
    expect(after.text).toContain('their ref. VMB-555');
    expect(after.text).toMatch(/Acknowledge: met /);
    expect(after.text).toMatch(/Fix: due /);
  });
});
