import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import { createIncident, incidentBody, incidentWorld } from '../factories/incident.factory';
import { createUser, signedInUser, TEST_PASSWORD, type SignedInUser } from '../factories/user.factory';
import { ConsoleClient } from '../helpers/console-client';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** Bulk actions on a queue's selected rows: each incident on its own, scoped, CSRF-checked, with a clear result. */
describe('console bulk actions', () => {
  let t: TestApp;
  let api: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    api = await signedInUser(t, 'agent');
  });
  afterAll(() => t.close());

  const agent = async (): Promise<{ c: ConsoleClient; id: string }> => {
    const u = await createUser(t.db, t.app.get(PasswordHasher), 'agent');
    const c = new ConsoleClient(t);
    expect((await c.signIn(u.email, TEST_PASSWORD)).status).toBe(303);
    await c.get('/console');
    return { c, id: u.id };
  };
  const three = async (): Promise<string[]> => {
    const world = await incidentWorld(t);
    const refs: string[] = [];
    for (const name of ['ann', 'bob', 'cat'])
      refs.push(
        (
          await createIncident(
            t,
            api.auth,
            incidentBody(world.site, world.service, {
              reporter: { name: `Reporter ${name}`, email: `${name}.${world.site.code}@example.test` },
            }),
          )
        ).reference,
      );
    return refs;
  };
  const replyMail = async (reference: string): Promise<{ to: string; body: string }[]> =>
    t.db.query(
      `SELECT m.to_address AS "to", m.context->>'body' AS body FROM outbound_message m JOIN incident i ON i.id = m.incident_id
        WHERE i.number = $1 AND m.template = 'incident-reply'`,
      [Number(reference.slice(4))],
    );
  const post = (c: ConsoleClient, form: Record<string, string | string[]>) =>
    c.post('/console/bulk', form as Record<string, string>);

  it('offers a checkbox per row and the bulk form to the desk', async () => {
    const refs = await three();
    const { c } = await agent();
    const page = await c.get('/console?queue=any&sort=-reportedAt');
    expect(page.text).toContain('<form id="bulk-form"');
    expect(page.text).toContain(`value="${refs[2]}" form="bulk-form" data-bulk-pick`);
  });

  it('replies to every selected reporter, each by their own email on their own incident', async () => {
    const refs = await three();
    const { c } = await agent();
    const text = 'The network is back: please try again.';
    const res = await post(c, {
      _csrf: c.csrf,
      ref: refs,
      action: 'reply',
      text,
      back: '/console?queue=open',
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('3 of 3 incidents done.');
    expect(res.text).toContain('href="/console?queue&#x3D;open"');
    for (const [k, name] of ['ann', 'bob', 'cat'].entries()) {
      const mail = await replyMail(refs[k]);
      expect(mail).toHaveLength(1);
      expect(mail[0].to).toMatch(new RegExp(`^${name}\\.`));
    }
  });

  it('assigns, notes and holds each row, and reports a refused row without stopping the others', async () => {
    const refs = await three();
    const { c, id } = await agent();
    expect((await post(c, { _csrf: c.csrf, ref: refs, action: 'assign', assignee: 'me' })).status).toBe(200);
    const assignees = await t.db.query<{ a: string }[]>(
      'SELECT assignee_id AS a FROM incident WHERE number = ANY($1::bigint[])',
      [refs.map((r) => Number(r.slice(4)))],
    );
    expect(assignees.map((r) => r.a)).toEqual([id, id, id]);
    await t
      .http()
      .post(`/api/incidents/${refs[0]}/transitions`)
      .set(api.auth)
      .send({ to: 'cancelled', comment: 'Duplicate' })
      .expect(200);
    const held = await post(c, {
      _csrf: c.csrf,
      ref: refs,
      action: 'hold_caller',
      text: 'Asked for the room',
    });
    expect(held.text).toContain('2 of 3 incidents done; 1 not changed.');
    expect(held.text).toMatch(new RegExp(`data-bulk-row="${refs[0]}">[\\s\\S]*?Not changed`));
    const statuses = await t.db.query<{ status: string }[]>(
      'SELECT status FROM incident WHERE number = ANY($1::bigint[]) ORDER BY number',
      [refs.map((r) => Number(r.slice(4)))],
    );
    expect(statuses.map((s) => s.status)).toEqual(['cancelled', 'awaiting_caller', 'awaiting_caller']);
  });

  it('changes nothing without the form token, or with a bad form', async () => {
    const refs = await three();
    const { c } = await agent();
    expect((await post(c, { ref: refs, action: 'reply', text: 'Hello' })).status).toBe(403);
    const bad = await post(c, { _csrf: c.csrf, ref: refs, action: 'reply', text: ' ' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Nothing was changed');
    for (const r of refs) expect(await replyMail(r)).toEqual([]);
  });

  it("keeps another trust's incidents out of a bulk action, and bulk from trust managers", async () => {
    const refs = await three();
    const { c } = await agent();
    const res = await post(c, {
      _csrf: c.csrf,
      ref: [refs[0], 'INC-999999'],
      action: 'note',
      text: 'Same fault',
    });
    expect(res.text).toContain('1 of 2 incidents done; 1 not changed.');
    const trustId = (
      await t.db.query<{ id: string }[]>('SELECT trust_id AS id FROM incident WHERE number = $1', [
        Number(refs[1].slice(4)),
      ])
    )[0].id;
    const manager = await createUser(t.db, t.app.get(PasswordHasher), 'trust_manager', { trustId });
    const m = new ConsoleClient(t);
    expect((await m.signIn(manager.email, TEST_PASSWORD)).status).toBe(303);
    await m.get('/console');
    expect((await post(m, { _csrf: m.csrf, ref: [refs[1]], action: 'reply', text: 'Hi' })).status).toBe(403);
    expect(await replyMail(refs[1])).toEqual([]);
  });
});
