import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import { ConsoleSessions } from '../../src/modules/console/sessions/console-sessions.service';
import { createIncident, incidentBody, incidentWorld } from '../factories/incident.factory';
import { createUser, signedInUser, TEST_PASSWORD, type SignedInUser } from '../factories/user.factory';
import { ConsoleClient, cookieHeader, SESSION_COOKIE } from '../helpers/console-client';
import { ShiftedClock } from '../helpers/shifted-clock';
import { createTestApp, type TestApp } from '../helpers/test-app';
import type { Role } from '../../src/modules/users/user.entity';
import { createTrust } from '../factories/directory.factory';

/** The console over HTTP (no browser): sign-in, sessions, CSRF, scope. The browser walk is console-browser. */
describe('console over HTTP', () => {
  let t: TestApp;
  const clock = new ShiftedClock();
  let api: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      env: {
        LOGIN_RATE_LIMIT: '4',
        CONSOLE_IDLE_TIMEOUT_MINUTES: '30',
        CONSOLE_ABSOLUTE_TIMEOUT_MINUTES: '120',
      },
    });
    api = await signedInUser(t, 'agent');
  });
  afterAll(() => t.close());

  const user = (role: Role, binding: { trustId?: string } = {}) =>
    createUser(t.db, t.app.get(PasswordHasher), role, binding);
  const signedIn = async (role: Role = 'agent', binding: { trustId?: string } = {}) => {
    const u = await user(role, binding);
    const c = new ConsoleClient(t);
    const res = await c.signIn(u.email, TEST_PASSWORD);
    expect(res.status).toBe(303);
    await c.get('/console');
    return { u, c };
  };
  const sessionRows = async (userId: string): Promise<{ token_hash: string; csrf_token: string }[]> =>
    t.db.query('SELECT token_hash, csrf_token FROM console_session WHERE user_id = $1', [userId]);
  const timelineCount = async (reference: string): Promise<number> => {
    const [row] = await t.db.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM incident_event e JOIN incident i ON i.id = e.incident_id WHERE i.number = $1',
      [Number(reference.slice(4))],
    );
    return row.n;
  };

  it('sends / to the console and a visitor without a session to the sign-in page', async () => {
    const root = await t.http().get('/').expect(303);
    expect(root.headers.location).toBe('/console');
    for (const path of ['/console', '/console/incidents/INC-000001', '/console/anything']) {
      const res = await t.http().get(path).expect(303);
      expect(res.headers.location).toBe('/console/login');
    }
  });

  it('serves a sign-in form posting email, password and a hidden _csrf', async () => {
    const res = await t.http().get('/console/login').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toMatch(/<form[^>]+method="post"[^>]+action="\/console\/login"/);
    expect(res.text).toContain('name="email"');
    expect(res.text).toContain('name="password"');
    expect(res.text).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
  });

  it('signs in: 303 to /console with an HttpOnly, SameSite=Lax session cookie on /console; only a hash is stored', async () => {
    const u = await user('agent');
    const c = new ConsoleClient(t);
    const res = await c.signIn(u.email.toUpperCase(), TEST_PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/console');
    const line = (res.headers['set-cookie'] as unknown as string[]).find((l) =>
      l.startsWith(`${SESSION_COOKIE}=`),
    );
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Lax/i);
    expect(line).toMatch(/Path=\/console(;|$)/);
    expect(line).not.toMatch(/Secure/i);
    const token = c.jar[SESSION_COOKIE];
    const rows = await sessionRows(u.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).not.toContain(token);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    const page = await c.get('/console');
    expect(page.status).toBe(200);
    expect(page.text).toContain(u.name);
  });

  it('refuses a wrong password with the form again (401), and no session', async () => {
    const u = await user('agent');
    const c = new ConsoleClient(t);
    const res = await c.signIn(u.email, 'not-the-password');
    expect(res.status).toBe(401);
    expect(res.text).toContain('Email or password is wrong');
    expect(res.text).toContain('name="password"');
    expect(c.jar[SESSION_COOKIE]).toBeUndefined();
    expect(await sessionRows(u.id)).toHaveLength(0);
  });

  it('refuses a sign-in posted without its form token (403) and starts no session', async () => {
    const u = await user('agent');
    const c = new ConsoleClient(t);
    await c.get('/console/login');
    const res = await c.post('/console/login', { email: u.email, password: TEST_PASSWORD });
    expect(res.status).toBe(403);
    const forged = await c.post('/console/login', {
      email: u.email,
      password: TEST_PASSWORD,
      _csrf: 'x'.repeat(43),
    });
    expect(forged.status).toBe(403);
    expect(await sessionRows(u.id)).toHaveLength(0);
  });

  it('gives a new session id at every sign-in; the old one stops working', async () => {
    const { u, c } = await signedIn();
    const before = c.jar[SESSION_COOKIE];
    const again = await c.signIn(u.email, TEST_PASSWORD);
    expect(again.status).toBe(303);
    expect(c.jar[SESSION_COOKIE]).not.toBe(before);
    const old = await t.http().get('/console').set('Cookie', `${SESSION_COOKIE}=${before}`).expect(303);
    expect(old.headers.location).toBe('/console/login');
    expect(await sessionRows(u.id)).toHaveLength(1);
  });

  it('signs out with POST /console/logout (with its token); without the token nothing happens', async () => {
    const { u, c } = await signedIn();
    const refused = await c.post('/console/logout', {});
    expect(refused.status).toBe(403);
    expect((await c.get('/console')).status).toBe(200);
    const out = await c.post('/console/logout', { _csrf: c.csrf });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/console/login');
    expect(await sessionRows(u.id)).toHaveLength(0);
    expect((await c.get('/console')).status).toBe(303);
  });

  it('ends a session after the idle timeout and after the absolute timeout', async () => {
    const idle = await signedIn();
    clock.advance(29 * 60_000);
    expect((await idle.c.get('/console')).status).toBe(200);
    clock.advance(29 * 60_000);
    expect((await idle.c.get('/console')).status).toBe(200);
    clock.advance(31 * 60_000);
    const gone = await idle.c.get('/console');
    expect(gone.status).toBe(303);
    expect(gone.headers.location).toBe('/console/login');
    expect(await sessionRows(idle.u.id)).toHaveLength(0);

    const busy = await signedIn();
    for (let i = 0; i < 4; i++) {
      clock.advance(25 * 60_000);
      expect((await busy.c.get('/console')).status).toBe(200);
    }
    clock.advance(21 * 60_000);
    expect((await busy.c.get('/console')).status).toBe(303);
  });

  it('signs a disabled user out at their next request', async () => {
    const { u, c } = await signedIn();
    await t.db.query('UPDATE app_user SET active = false WHERE id = $1', [u.id]);
    const res = await c.get('/console');
    expect(res.status).toBe(303);
    expect(await sessionRows(u.id)).toHaveLength(0);
  });

  it('ends every console session of a user through the exported service', async () => {
    const u = await user('agent');
    const a = new ConsoleClient(t);
    const b = new ConsoleClient(t);
    await a.signIn(u.email, TEST_PASSWORD);
    await b.signIn(u.email, TEST_PASSWORD);
    await expect(t.app.get(ConsoleSessions).endAllForUser(u.id)).resolves.toBe(2);
    expect((await a.get('/console')).status).toBe(303);
    expect((await b.get('/console')).status).toBe(303);
  });

  it('throttles sign-in like the API, on one budget with the API login', async () => {
    const u = await user('agent');
    const c = new ConsoleClient(t);
    for (let i = 0; i < 2; i++)
      await t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', c.address)
        .send({ email: u.email, password: `wrong-${i}` })
        .expect(401);
    expect((await c.signIn(u.email, 'wrong-again')).status).toBe(401);
    expect((await c.signIn(u.email, 'wrong-again')).status).toBe(401);
    const blocked = await c.signIn(u.email, TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Too many sign-in attempts');
    expect(await sessionRows(u.id)).toHaveLength(0);
  });

  it('refuses a state change without the form token (403) and changes nothing; a GET changes nothing', async () => {
    const { site, service } = await incidentWorld(t);
    const inc = await createIncident(t, api.auth, incidentBody(site, service));
    const { c } = await signedIn();
    const before = await timelineCount(inc.reference);
    const path = `/console/incidents/${inc.reference}/reply`;
    expect((await c.post(path, { body: 'No token' })).status).toBe(403);
    expect((await c.post(path, { body: 'Wrong token', _csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await c.get(`${path}?body=Sneaky`)).status).toBe(404);
    expect(await timelineCount(inc.reference)).toBe(before);
    const ok = await c.post(path, { body: 'With the field', _csrf: c.csrf });
    expect(ok.status).toBe(303);
    const viaHeader = await c.post(
      path,
      { body: 'With the header' },
      { 'X-CSRF-Token': c.csrf, 'HX-Request': 'true' },
    );
    expect(viaHeader.status).toBe(303);
    expect(await timelineCount(inc.reference)).toBe(before + 2);
  });

  it('lists open incidents and shows an incident page with its actions', async () => {
    const { site, service } = await incidentWorld(t);
    const inc = await createIncident(
      t,
      api.auth,
      incidentBody(site, service, { summary: 'Console list check' }),
    );
    const { c } = await signedIn();
    const list = await c.get(`/console?q=${encodeURIComponent('"Console list check"')}`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(inc.reference);
    const page = await c.get(`/console/incidents/${inc.reference}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Console list check');
    expect(page.text).toContain(`action="/console/incidents/${inc.reference}/note"`);
    expect((await c.get('/console/incidents/INC-999999999')).status).toBe(404);
  });

  it("answers 404 to a trust manager for another trust's incident, hides internal notes and desk actions", async () => {
    const mine = await incidentWorld(t);
    const other = await incidentWorld(t);
    const own = await createIncident(t, api.auth, incidentBody(mine.site, mine.service));
    const foreign = await createIncident(t, api.auth, incidentBody(other.site, other.service));
    await t
      .http()
      .post(`/api/incidents/${own.reference}/notes`)
      .set(api.auth)
      .send({ body: 'Internal only: supplier contract dispute' })
      .expect(201);
    const { c } = await signedIn('trust_manager', { trustId: mine.site.trustId });
    expect((await c.get(`/console/incidents/${foreign.reference}`)).status).toBe(404);
    const page = await c.get(`/console/incidents/${own.reference}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('supplier contract dispute');
    expect(page.text).not.toContain(`/console/incidents/${own.reference}/note"`);
    expect(page.text).toContain(`action="/console/incidents/${own.reference}/reply"`);
    const before = await timelineCount(own.reference);
    expect(
      (await c.post(`/console/incidents/${own.reference}/note`, { body: 'x', _csrf: c.csrf })).status,
    ).toBe(403);
    expect(
      (await c.post(`/console/incidents/${foreign.reference}/reply`, { body: 'x', _csrf: c.csrf })).status,
    ).toBe(404);
    expect(await timelineCount(own.reference)).toBe(before);
    const list = await c.get('/console');
    expect(list.text).toContain(own.reference);
    expect(list.text).not.toContain(foreign.reference);
  });

  it('serves pages under a strict CSP with no inline script or handler, and its own htmx with an ETag and a long cache', async () => {
    const { c } = await signedIn();
    const page = await c.get('/console');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.text).not.toMatch(/\son[a-z]+=/i);
    expect(page.text).not.toMatch(/https?:\/\/(?!localhost)[^"']*\.js/);
    const src = /<script src="(\/console\/assets\/htmx\.min\.js[^"]*)"/.exec(page.text)?.[1];
    expect(src).toBeDefined();
    const js = await t
      .http()
      .get(src as string)
      .expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(js.text).toContain('htmx');
    const etag = js.headers.etag;
    await t
      .http()
      .get(src as string)
      .set('If-None-Match', etag)
      .expect(304);
    await t.http().get('/console/assets/nope.js').expect(404);
  });

  it('marks the cookie Secure when PUBLIC_BASE_URL is https', async () => {
    const https = await createTestApp({ env: { PUBLIC_BASE_URL: 'https://desk.example.test' } });
    try {
      const u = await createUser(https.db, https.app.get(PasswordHasher), 'agent');
      const c = new ConsoleClient(https);
      const res = await c.signIn(u.email, TEST_PASSWORD);
      const line = (res.headers['set-cookie'] as unknown as string[]).find((l) =>
        l.startsWith(`${SESSION_COOKIE}=`),
      );
      expect(line).toMatch(/; Secure/i);
    } finally {
      await https.close();
    }
  });

  it('sends an htmx request without a session to sign-in with HX-Redirect', async () => {
    const res = await t.http().get('/console').set('HX-Request', 'true');
    expect(res.headers['hx-redirect']).toBe('/console/login');
    void cookieHeader;
    void createTrust;
  });
});
