import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import { createIncident, incidentBody } from '../factories/incident.factory';
import {
  escalationRow,
  escalationWorld,
  failedEscalation,
  setTargets,
} from '../factories/escalation.factory';
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

  it('retries a failed delivery from the panel: desk roles only, CSRF and version checked, then delivered with the same key', async () => {
    const world = await escalationWorld(t, { webhookUrl: endpoint.url, webhookSecret: endpoint.secret });
    const { reference } = await createIncident(t, api.auth, incidentBody(world.site, world.service));
    // The state after the last attempt failed: the escalation `failed`, the incident back with the desk.
    const id = await failedEscalation(t, reference, world.supplier.id);
    const hidden = (html: string, name: string): string =>
      new RegExp(
        `action="/console/incidents/${reference}/retry"[\\s\\S]*?name="${name}" value="([^"]*)"`,
      ).exec(html)?.[1] ?? '';

    // A trust manager of the incident's trust sees no panel and may not retry.
    const manager = await createUser(t.db, t.app.get(PasswordHasher), 'trust_manager', {
      trustId: world.site.trustId,
    });
    const m = new ConsoleClient(t);
    expect((await m.signIn(manager.email, TEST_PASSWORD)).status).toBe(303);
    expect((await m.get(`/console/incidents/${reference}`)).text).not.toContain('Retry delivery');
    const forbidden = await m.post(`/console/incidents/${reference}/retry`, {
      _csrf: m.csrf,
      escalation: id,
    });
    expect(forbidden.status).toBe(403);

    const u = await createUser(t.db, t.app.get(PasswordHasher), 'agent');
    const c = new ConsoleClient(t);
    expect((await c.signIn(u.email, TEST_PASSWORD)).status).toBe(303);
    const page = (await c.get(`/console/incidents/${reference}`)).text;
    expect(page).toContain('Delivery failed');
    expect(page).toContain(`aria-label="Retry delivery to ${world.supplier.name}"`);
    expect(hidden(page, 'escalation')).toBe(id);
    const form = { escalation: id, version: hidden(page, 'version'), seen: hidden(page, 'seen') };

    const noToken = await c.post(`/console/incidents/${reference}/retry`, { _csrf: 'x'.repeat(43), ...form });
    expect(noToken.status).toBe(403);
    // Someone else changed the incident since the page was read: refused, nothing retried.
    await t
      .http()
      .post(`/api/incidents/${reference}/notes`)
      .set(api.auth)
      .send({ body: 'Called the supplier: their portal is back' })
      .expect(201);
    const stale = await c.post(`/console/incidents/${reference}/retry`, { _csrf: c.csrf, ...form });
    expect(stale.status).toBe(409);
    expect((await escalationRow(t, id)).status).toBe('failed');

    const done = await c.post(`/console/incidents/${reference}/retry`, {
      _csrf: c.csrf,
      escalation: id,
      version: hidden(stale.text, 'version'),
      seen: hidden(stale.text, 'seen'),
    });
    expect(done.status).toBe(303);
    await waitFor(async () => (await escalationRow(t, id)).status === 'sent', 'the retried delivery');
    expect(endpoint.received.filter((d) => d.body.escalationId === id).map((d) => d.key)).toEqual([
      `escalation-${id}`,
    ]);
    const after = (await c.get(`/console/incidents/${reference}?done=retry`)).text;
    expect(after).toContain('Delivery to the supplier retried.');
    expect(after).not.toContain('Retry delivery');
    // Retrying one that is no longer failed is refused on the page.
    const again = await c.post(`/console/incidents/${reference}/retry`, { _csrf: c.csrf, escalation: id });
    expect(again.status).toBe(409);
    expect(again.text).toContain('Only a failed escalation can be retried.');
  });
});
