import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { createSupplier, createTrust } from '../factories/directory.factory';
import { signedInUser, TEST_PASSWORD, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { adminDatabaseUrl, assertTestDatabaseName, testDatabaseUrl, TEST_DB_NAME } from '../setup/test-env';

/**
 * Issue 16, item 3: tokens do not outlive the account. PATCH /api/users/:id, POST /api/users/:id/sessions/revoke
 * and POST /api/auth/logout end a user's tokens; a changed role, trust or supplier takes effect at once.
 */
describe('user changes end sessions', () => {
  let t: TestApp;
  let admin: SignedInUser;
  let nextAddress = 1;
  /** Sign-ins from addresses of their own, so this file's attempts never count against another's. */
  const signIn = async (email: string, expected = 200): Promise<string> => {
    const res = await t
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', `198.18.0.${nextAddress++}`)
      .send({ email, password: TEST_PASSWORD })
      .expect(expected);
    return (res.body as { accessToken: string }).accessToken;
  };
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const patch = (id: string, body: Record<string, unknown>, by: SignedInUser = admin) =>
    t.http().patch(`/api/users/${id}`).set(by.auth).send(body);
  const auditOf = async (id: string) =>
    (await t.http().get(`/api/users/${id}/audit`).set(admin.auth).expect(200)).body.items as {
      action: string;
      actor: string;
      changes: { field: string; old: unknown; new: unknown }[];
    }[];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signedInUser(t, 'admin');
  });
  afterAll(() => t.close());

  it('renames a user without ending their sessions; the new name is theirs at once', async () => {
    const agent = await signedInUser(t, 'agent');
    const res = await patch(agent.user.id, { name: '  Jo Renamed  ' }).expect(200);
    expect(res.body).toMatchObject({ id: agent.user.id, name: 'Jo Renamed', role: 'agent', active: true });
    const me = await t.http().get('/api/users/me').set(agent.auth).expect(200);
    expect(me.body.name).toBe('Jo Renamed');
    expect(await auditOf(agent.user.id)).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        action: 'user.updated',
        actor: admin.user.email,
        changes: [{ field: 'name', old: 'Test agent', new: 'Jo Renamed' }],
      },
    ]);
  });

  it('a new role ends the old token (401); signing in again gives the new role', async () => {
    const agent = await signedInUser(t, 'agent');
    await t.http().get('/api/users').set(agent.auth).expect(403);
    const res = await patch(agent.user.id, { role: 'desk_manager' }).expect(200);
    expect(res.body.role).toBe('desk_manager');
    const refused = await t.http().get('/api/users/me').set(agent.auth).expect(401);
    expect(refused.body.error).toBe('AUTH.UNAUTHENTICATED');
    const token = await signIn(agent.user.email);
    await t.http().get('/api/users').set(bearer(token)).expect(200);
    const [entry] = await auditOf(agent.user.id);
    expect(entry).toMatchObject({
      action: 'user.updated',
      changes: [{ field: 'role', old: 'agent', new: 'desk_manager' }],
    });
  });

  it('moving a trust manager to another trust ends their tokens; a role away from trust_manager drops the trust', async () => {
    const [first, second] = [await createTrust(t.db), await createTrust(t.db)];
    const manager = await signedInUser(t, 'trust_manager', { trustId: first.id });
    const moved = await patch(manager.user.id, { trustCode: second.code }).expect(200);
    expect(moved.body.trustCode).toBe(second.code);
    await t.http().get('/api/users/me').set(manager.auth).expect(401);
    const token = await signIn(manager.user.email);
    const agent = await t
      .http()
      .patch(`/api/users/${manager.user.id}`)
      .set(admin.auth)
      .send({ role: 'agent' });
    expect(agent.status).toBe(200);
    expect(agent.body).toMatchObject({ role: 'agent', trustCode: null });
    await t.http().get('/api/users/me').set(bearer(token)).expect(401);
    const [latest] = (await auditOf(manager.user.id)).slice(-1);
    expect(latest.changes).toEqual([
      { field: 'role', old: 'trust_manager', new: 'agent' },
      { field: 'trustCode', old: second.code, new: null },
    ]);
  });

  it('disabling ends every token at once and refuses sign-in; enabling again lets them sign in, old tokens stay dead', async () => {
    const agent = await signedInUser(t, 'agent');
    const second = await signIn(agent.user.email);
    await patch(agent.user.id, { active: false }).expect(200);
    await t.http().get('/api/users/me').set(agent.auth).expect(401);
    await t.http().get('/api/users/me').set(bearer(second)).expect(401);
    await signIn(agent.user.email, 401);
    await patch(agent.user.id, { active: true }).expect(200);
    await t.http().get('/api/users/me').set(agent.auth).expect(401);
    const fresh = await signIn(agent.user.email);
    await t.http().get('/api/users/me').set(bearer(fresh)).expect(200);
    expect((await auditOf(agent.user.id)).map((e) => e.changes)).toEqual([
      [{ field: 'active', old: true, new: false }],
      [{ field: 'active', old: false, new: true }],
    ]);
  });

  it('refuses bad combinations as POST does, unknown codes with 422, and saves nothing (the token still works)', async () => {
    const agent = await signedInUser(t, 'agent');
    const trust = await createTrust(t.db);
    const supplier = await createSupplier(t.db);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ role: 'trust_manager' }, 400, 'trustCode'],
      [{ role: 'supplier' }, 400, 'supplierCode'],
      [{ trustCode: trust.code }, 400, 'trustCode'],
      [{ role: 'agent', supplierCode: supplier.code }, 400, 'supplierCode'],
      [{ role: 'trust_manager', trustCode: 'NOSUCH' }, 422, 'trustCode'],
      [{ role: 'supplier', supplierCode: 'nosuch' }, 422, 'supplierCode'],
      [{ role: 'owner' }, 400, 'role'],
      [{ active: 'no' }, 400, 'active'],
      [{ name: null }, 400, 'name'],
      [{ email: 'new@example.test' }, 400, 'email'],
    ];
    for (const [body, status, field] of cases) {
      const res = await patch(agent.user.id, body).expect(status);
      const fields = (res.body.fields as { field: string }[] | undefined)?.map((f) => f.field) ?? [
        res.body.field,
      ];
      expect({ body, fields }).toEqual({ body, fields: expect.arrayContaining([field]) });
    }
    await t.http().get('/api/users/me').set(agent.auth).expect(200);
    expect(await auditOf(agent.user.id)).toEqual([]);
    const ok = await patch(agent.user.id, { role: 'supplier', supplierCode: supplier.code }).expect(200);
    expect(ok.body).toMatchObject({ role: 'supplier', supplierCode: supplier.code, trustCode: null });
  });

  it('lets only admins change users and revoke sessions; an unknown user is 404', async () => {
    const manager = await signedInUser(t, 'desk_manager');
    const agent = await signedInUser(t, 'agent');
    await patch(agent.user.id, { name: 'Nope' }, manager).expect(403);
    await t.http().post(`/api/users/${agent.user.id}/sessions/revoke`).set(manager.auth).expect(403);
    await t.http().get(`/api/users/${agent.user.id}/audit`).set(manager.auth).expect(403);
    const missing = await patch('7d1c4b1e-0000-4000-8000-000000000000', { name: 'Nobody' }).expect(404);
    expect(missing.body.error).toBe('USER.NOT_FOUND');
    await t
      .http()
      .post('/api/users/7d1c4b1e-0000-4000-8000-000000000000/sessions/revoke')
      .set(admin.auth)
      .expect(404);
    await t.http().get('/api/users/me').set(agent.auth).expect(200);
  });

  it('revoking a user’s sessions ends every token they hold; they can sign in again', async () => {
    const agent = await signedInUser(t, 'agent');
    const second = await signIn(agent.user.email);
    await t.http().post(`/api/users/${agent.user.id}/sessions/revoke`).set(admin.auth).expect(204);
    await t.http().get('/api/users/me').set(agent.auth).expect(401);
    await t.http().get('/api/users/me').set(bearer(second)).expect(401);
    await t
      .http()
      .get('/api/users/me')
      .set(bearer(await signIn(agent.user.email)))
      .expect(200);
    await t.http().get('/api/users/me').set(admin.auth).expect(200);
    const [entry] = await auditOf(agent.user.id);
    expect(entry).toMatchObject({ action: 'user.sessions_revoked', actor: admin.user.email, changes: [] });
  });

  it('signing out ends the caller’s own tokens (all of them) and no one else’s', async () => {
    const agent = await signedInUser(t, 'agent');
    const other = await signedInUser(t, 'agent');
    const second = await signIn(agent.user.email);
    await t.http().post('/api/auth/logout').expect(401);
    await t.http().post('/api/auth/logout').set(agent.auth).expect(204);
    await t.http().get('/api/users/me').set(agent.auth).expect(401);
    await t.http().get('/api/users/me').set(bearer(second)).expect(401);
    await t.http().get('/api/users/me').set(other.auth).expect(200);
    const [entry] = await auditOf(agent.user.id);
    expect(entry).toMatchObject({ action: 'user.signed_out', actor: agent.user.email, changes: [] });
  });

  it('audits the creation of a user, without the password', async () => {
    const res = await t
      .http()
      .post('/api/users')
      .set(admin.auth)
      .send({
        email: `new.${Date.now()}@example.test`,
        name: 'New One',
        password: 'long-enough-pass',
        role: 'agent',
      })
      .expect(201);
    const [entry] = await auditOf(res.body.id as string);
    expect(entry).toMatchObject({ action: 'user.created', actor: admin.user.email });
    expect(entry.changes.map((c) => c.field)).toEqual(['email', 'name', 'role', 'trustCode', 'supplierCode']);
    expect(JSON.stringify(entry)).not.toContain('long-enough-pass');
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const { paths } = (await t.http().get('/api/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { summary?: string; requestBody?: unknown }>>;
    };
    expect(paths['/api/users/{id}'].patch.requestBody).toBeDefined();
    expect(paths['/api/users/{id}/sessions/revoke'].post.summary).toEqual(expect.any(String));
    expect(paths['/api/users/{id}/audit'].get.summary).toEqual(expect.any(String));
    expect(paths['/api/auth/logout'].post.summary).toEqual(expect.any(String));
  });

  it('refuses in another process within 5 s, and in practice at once: the notification clears its cache', async () => {
    const other = await createTestApp();
    try {
      const agent = await signedInUser(t, 'agent');
      // The other process has taken the token, so it has the user in its cache.
      await other.http().get('/api/users/me').set(agent.auth).expect(200);
      const revokedAt = Date.now();
      await t.http().post(`/api/users/${agent.user.id}/sessions/revoke`).set(admin.auth).expect(204);
      let status = 200;
      while (status !== 401 && Date.now() - revokedAt < 5_000) {
        status = (await other.http().get('/api/users/me').set(agent.auth)).status;
        if (status !== 401) await new Promise((r) => setTimeout(r, 25));
      }
      const took = Date.now() - revokedAt;
      expect(status).toBe(401);
      // The cache keeps a user for 4 s without a notification: far sooner means the notification cleared it.
      expect(took).toBeLessThan(2_500);
    } finally {
      await other.close();
    }
  });
});

/**
 * The last active administrator, in a database of its own: the shared test database has administrators made by
 * every other test.
 */
describe('the last active administrator', () => {
  const name = `${TEST_DB_NAME}_admins`;
  let t: TestApp;

  beforeAll(async () => {
    assertTestDatabaseName(name);
    const pg = new Client({ connectionString: adminDatabaseUrl() });
    await pg.connect();
    await pg.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await pg.query(`CREATE DATABASE "${name}"`);
    await pg.end();
    execFileSync(process.execPath, ['dist/src/cli/migrate.js'], {
      env: { ...process.env, DATABASE_URL: testDatabaseUrl(name) },
      stdio: 'pipe',
    });
    t = await createTestApp({ env: { DATABASE_URL: testDatabaseUrl(name) } });
  });
  afterAll(async () => {
    await t?.close();
    const pg = new Client({ connectionString: adminDatabaseUrl() });
    await pg.connect();
    await pg.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await pg.end();
  });

  it('cannot be disabled or given another role, even by themselves; with a second admin active, can', async () => {
    const only = await signedInUser(t, 'admin');
    const demoted = await t
      .http()
      .patch(`/api/users/${only.user.id}`)
      .set(only.auth)
      .send({ role: 'agent' })
      .expect(409);
    expect(demoted.body.error).toBe('USER.LAST_ADMIN');
    await t.http().patch(`/api/users/${only.user.id}`).set(only.auth).send({ active: false }).expect(409);
    await t.http().get('/api/users/me').set(only.auth).expect(200);

    const second = await signedInUser(t, 'admin');
    await t.http().patch(`/api/users/${second.user.id}`).set(only.auth).send({ active: false }).expect(200);
    await t.http().patch(`/api/users/${only.user.id}`).set(only.auth).send({ role: 'agent' }).expect(409);
    await t.http().patch(`/api/users/${second.user.id}`).set(only.auth).send({ active: true }).expect(200);
    await t.http().patch(`/api/users/${only.user.id}`).set(only.auth).send({ role: 'agent' }).expect(200);
    await t.http().get('/api/users/me').set(only.auth).expect(401);
  });

  it('two admins disabling each other at once: one wins, one admin stays active', async () => {
    await t.db.query("UPDATE app_user SET active = false WHERE role = 'admin'");
    const a = await signedInUser(t, 'admin');
    const b = await signedInUser(t, 'admin');
    const [ab, ba] = await Promise.all([
      t.http().patch(`/api/users/${b.user.id}`).set(a.auth).send({ active: false }),
      t.http().patch(`/api/users/${a.user.id}`).set(b.auth).send({ active: false }),
    ]);
    expect([ab.status, ba.status].sort()).toEqual([200, 409].sort());
    const [{ count }] = await t.db.query<{ count: number }[]>(
      "SELECT count(*)::int AS count FROM app_user WHERE role = 'admin' AND active",
    );
    expect(count).toBe(1);
  });
});
