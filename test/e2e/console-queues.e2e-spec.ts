import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import { createSupplier } from '../factories/directory.factory';
import { createIncident, incidentBody, incidentWorld } from '../factories/incident.factory';
import { createUser, signedInUser, TEST_PASSWORD, type SignedInUser } from '../factories/user.factory';
import { ConsoleClient } from '../helpers/console-client';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** The queues' SLA-urgency order, counts, "With suppliers", the assignee filter and the clock holder column. */
describe('console queues', () => {
  let t: TestApp;
  let api: SignedInUser;
  let trustCode: string;
  const refs: Record<string, string> = {};

  const rowRefs = (html: string): string[] =>
    [...html.matchAll(/data-row-link>(INC-\d+)</g)].map((m) => m[1]);
  const holderOf = (html: string, ref: string): string | undefined =>
    new RegExp(`${ref}</a>[\\s\\S]*?data-holder="[a-z]+">([^<]+)<`).exec(html)?.[1];
  const tabCount = (html: string, label: string): number =>
    Number(new RegExp(`>${label} <span class="tab-count"[^>]*>(\\d+)<`).exec(html)?.[1]);

  beforeAll(async () => {
    t = await createTestApp();
    api = await signedInUser(t, 'agent');
    const world = await incidentWorld(t);
    trustCode = world.trustCode;
    const make = async (name: string, urgency: string) => {
      const body = incidentBody(world.site, world.service, { summary: `Queue test ${name}`, urgency });
      refs[name] = (await createIncident(t, api.auth, body)).reference;
    };
    // Low urgency (far due), high urgency (near due), one made breached, one waiting for the caller (paused),
    // one escalated to a supplier.
    await make('low', 'low');
    await make('high', 'high');
    await make('breached', 'low');
    await make('paused', 'high');
    await make('escalated', 'medium');
    await t.db.query(
      `UPDATE incident_sla SET due_at = now() - interval '1 hour' WHERE incident_id = (SELECT id FROM incident WHERE number = $1)`,
      [Number(refs.breached.slice(4))],
    );
    await t
      .http()
      .post(`/api/incidents/${refs.paused}/transitions`)
      .set(api.auth)
      .send({ to: 'awaiting_caller', comment: 'Asked for the room number' })
      .expect(200);
    const supplier = await createSupplier(t.db, { name: 'Openreach Test' });
    await t.db.query(
      `INSERT INTO escalation (incident_id, supplier_id, status) SELECT id, $2, 'sent' FROM incident WHERE number = $1`,
      [Number(refs.escalated.slice(4)), supplier.id],
    );
    await t
      .http()
      .post(`/api/incidents/${refs.high}/assign`)
      .set(api.auth)
      .send({ assigneeId: api.user.id })
      .expect(200);
  });
  afterAll(() => t.close());

  const agent = async (): Promise<ConsoleClient> => {
    const c = new ConsoleClient(t);
    expect((await c.signIn(api.user.email, TEST_PASSWORD)).status).toBe(303);
    return c;
  };

  it('sorts by SLA urgency by default: breached first, then the nearest due, paused last', async () => {
    const c = await agent();
    const page = await c.get(`/console?queue=open&trust=${trustCode}`);
    expect(page.status).toBe(200);
    const order = rowRefs(page.text);
    expect(order).toHaveLength(5);
    expect(order[0]).toBe(refs.breached);
    expect(order.indexOf(refs.high)).toBeLessThan(order.indexOf(refs.low));
    expect(order[order.length - 1]).toBe(refs.paused);
    expect(page.text).toMatch(/<option value="sla" selected>SLA urgency/);
  });

  it('pages the urgency order by keyset without losing or repeating a row', async () => {
    const c = await agent();
    const all = rowRefs((await c.get(`/console?queue=open&trust=${trustCode}`)).text);
    // The console's page size is fixed (50): page through the API's list with the same sort, two at a time.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await t
        .http()
        .get('/api/incidents')
        .query({
          trust: trustCode,
          status: 'new,assigned,in_progress,awaiting_caller,awaiting_supplier',
          sort: 'sla',
          limit: 2,
          ...(cursor ? { cursor } : {}),
        })
        .set(api.auth)
        .expect(200);
      const body = res.body as { items: { reference: string }[]; nextCursor: string | null };
      seen.push(...body.items.map((i) => i.reference));
      cursor = body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it('shows each queue with its count under the same filters', async () => {
    const c = await agent();
    const page = await c.get(`/console?queue=open&trust=${trustCode}`);
    expect(tabCount(page.text, 'All open')).toBe(5);
    expect(tabCount(page.text, 'On hold')).toBe(1);
    expect(tabCount(page.text, 'With suppliers')).toBe(1);
    expect(tabCount(page.text, 'My work')).toBe(1);
    expect(tabCount(page.text, 'Unassigned')).toBe(4);
  });

  it('lists incidents with an open escalation under With suppliers, naming the supplier', async () => {
    const c = await agent();
    const page = await c.get(`/console?queue=suppliers&trust=${trustCode}`);
    expect(rowRefs(page.text)).toEqual([refs.escalated]);
    expect(holderOf(page.text, refs.escalated)).toBe('Supplier: Openreach Test');
  });

  it('says who the clock waits on in words', async () => {
    const c = await agent();
    const page = await c.get(`/console?queue=open&trust=${trustCode}`);
    expect(holderOf(page.text, refs.low)).toBe('Desk');
    expect(holderOf(page.text, refs.paused)).toBe('Caller (clock paused)');
    expect(page.text).toMatch(/class="holder holder-caller" data-holder="caller"/);
  });

  it('filters by assignee, and refuses one that is not a user id', async () => {
    const c = await agent();
    const mine = await c.get(`/console?queue=open&trust=${trustCode}&assignee=${api.user.id}`);
    expect(rowRefs(mine.text)).toEqual([refs.high]);
    const nobody = await c.get(`/console?queue=open&trust=${trustCode}&assignee=none`);
    expect(rowRefs(nobody.text)).not.toContain(refs.high);
    expect(rowRefs(nobody.text)).toHaveLength(4);
    expect((await c.get('/console?assignee=bob')).status).toBe(400);
  });

  it('keeps another trust out of a trust manager\u2019s queues and counts', async () => {
    const other = await incidentWorld(t);
    const manager = await createUser(t.db, t.app.get(PasswordHasher), 'trust_manager', {
      trustId: (
        await t.db.query<{ id: string }[]>('SELECT id FROM trust WHERE code = $1', [other.trustCode])
      )[0].id,
    });
    const c = new ConsoleClient(t);
    expect((await c.signIn(manager.email, TEST_PASSWORD)).status).toBe(303);
    const page = await c.get('/console?queue=open');
    for (const ref of Object.values(refs)) expect(page.text).not.toContain(ref);
    expect(tabCount(page.text, 'All open')).toBe(0);
    expect(page.text).not.toContain('id="f-assignee"');
  });
});
