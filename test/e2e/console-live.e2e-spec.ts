import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import type { Role } from '../../src/modules/users/user.entity';
import { createIncident, incidentBody, incidentWorld } from '../factories/incident.factory';
import { createUser, signedInUser, TEST_PASSWORD, type SignedInUser } from '../factories/user.factory';
import { ConsoleClient, cookieHeader } from '../helpers/console-client';
import { SseReader } from '../helpers/sse-reader';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * Live updates across processes: streams open on app A, changes made through app B's API (another process's
 * NOTIFY), each stream scoped as the pages are; presence and typing for the desk only.
 */
describe('console live updates', () => {
  let a: TestApp;
  let b: TestApp;
  let apiB: SignedInUser;
  const readers: SseReader[] = [];

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestApp({ listen: true }), createTestApp()]);
    apiB = await signedInUser(b, 'agent');
  }, 60_000);
  afterAll(async () => {
    for (const r of readers) r.close();
    await Promise.all([a?.close(), b?.close()]);
  });

  const consoleUser = async (role: Role, binding: { trustId?: string } = {}) => {
    const u = await createUser(a.db, a.app.get(PasswordHasher), role, binding);
    const c = new ConsoleClient(a);
    expect((await c.signIn(u.email, TEST_PASSWORD)).status).toBe(303);
    await c.get('/console');
    return { u, c };
  };
  const stream = async (c: ConsoleClient, path = '/console/live'): Promise<SseReader> => {
    const r = new SseReader();
    readers.push(r);
    await r.open(`${a.baseUrl}${path}`, { Cookie: cookieHeader(c.jar), 'X-Forwarded-For': c.address });
    return r;
  };
  const trustIdOf = async (code: string): Promise<string> =>
    (await a.db.query<{ id: string }[]>('SELECT id FROM trust WHERE code = $1', [code]))[0].id;
  const until = (ok: () => boolean, what: string): Promise<boolean> =>
    waitFor(() => Promise.resolve(ok()), what);
  const refsIn = (r: SseReader): (string | null)[] =>
    r.named('incident').map((d) => (d as { reference: string | null }).reference);

  it('tells a desk list stream on one process about a change made through another', async () => {
    const world = await incidentWorld(b);
    const { c } = await consoleUser('agent');
    const r = await stream(c);
    expect(r.status).toBe(200);
    const created = await createIncident(b, apiB.auth, incidentBody(world.site, world.service));
    await until(() => refsIn(r).includes(created.reference), 'the new incident on the stream');
    await b
      .http()
      .post(`/api/incidents/${created.reference}/notes`)
      .set(apiB.auth)
      .send({ body: 'Checked the switch' })
      .expect(201);
    await until(
      () => refsIn(r).filter((x) => x === created.reference).length >= 2,
      'the note on the desk stream',
    );
  });

  it("never carries another trust's incident, or an internal note, on a trust manager's stream", async () => {
    const mine = await incidentWorld(b);
    const other = await incidentWorld(b);
    const { c } = await consoleUser('trust_manager', { trustId: await trustIdOf(mine.trustCode) });
    const r = await stream(c);
    const own = await createIncident(b, apiB.auth, incidentBody(mine.site, mine.service));
    const foreign = await createIncident(b, apiB.auth, incidentBody(other.site, other.service));
    await b
      .http()
      .post(`/api/incidents/${foreign.reference}/replies`)
      .set(apiB.auth)
      .send({ body: 'On our way' })
      .expect(201);
    await b
      .http()
      .post(`/api/incidents/${own.reference}/notes`)
      .set(apiB.auth)
      .send({ body: 'Desk only' })
      .expect(201);
    await b
      .http()
      .post(`/api/incidents/${own.reference}/replies`)
      .set(apiB.auth)
      .send({ body: 'An engineer is coming' })
      .expect(201);
    // NOTIFY arrives in commit order: once the reply's event is here, anything before it would be too.
    await until(() => refsIn(r).filter((x) => x === own.reference).length >= 2, 'the create and the reply');
    expect(refsIn(r).filter((x) => x === own.reference)).toHaveLength(2);
    expect(refsIn(r)).not.toContain(foreign.reference);
    expect(r.named('presence')).toEqual([]);
  });

  it('answers 404 for the stream of an incident outside the scope, and sends a visitor to sign in', async () => {
    const mine = await incidentWorld(b);
    const other = await incidentWorld(b);
    const foreign = await createIncident(b, apiB.auth, incidentBody(other.site, other.service));
    const { c } = await consoleUser('trust_manager', { trustId: await trustIdOf(mine.trustCode) });
    expect((await c.get(`/console/live?incident=${foreign.reference}`)).status).toBe(404);
    expect((await a.http().get('/console/live')).status).toBe(303);
  });

  it('shows desk users on an incident each other, and who is typing a note, to the desk only', async () => {
    const world = await incidentWorld(b);
    const incident = await createIncident(b, apiB.auth, incidentBody(world.site, world.service));
    const path = `/console/live?incident=${incident.reference}`;
    const ann = await consoleUser('agent');
    const bob = await consoleUser('agent');
    const manager = await consoleUser('trust_manager', { trustId: await trustIdOf(world.trustCode) });
    const annStream = await stream(ann.c, path);
    const managerStream = await stream(manager.c, path);
    await stream(bob.c, path);
    await until(
      () => annStream.named('presence').some((p) => (p as { others: string[] }).others.includes(bob.u.name)),
      'Bob shown to Ann',
    );
    await bob.c.get(`/console/incidents/${incident.reference}`);
    const typed = await bob.c.post(
      `/console/incidents/${incident.reference}/typing`,
      { what: 'note' },
      { 'X-CSRF-Token': bob.c.csrf },
    );
    expect(typed.status).toBe(204);
    await until(
      () =>
        annStream
          .named('presence')
          .some((p) =>
            (p as { typing: { name: string; what: string }[] }).typing.some(
              (t) => t.name === bob.u.name && t.what === 'note',
            ),
          ),
      'Bob typing a note, shown to Ann',
    );
    expect(managerStream.named('presence')).toEqual([]);
    const refused = await bob.c.post(`/console/incidents/${incident.reference}/typing`, { what: 'note' });
    expect(refused.status).toBe(403);
    const bad = await bob.c.post(
      `/console/incidents/${incident.reference}/typing`,
      { what: 'poem' },
      { 'X-CSRF-Token': bob.c.csrf },
    );
    expect(bad.status).toBe(400);
  });
});
