import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import { createUser, TEST_PASSWORD } from '../factories/user.factory';
import { freePort, startDesk, waitForHealth, type DeskProcess } from '../helpers/desk-process';
import { createTestApp } from '../helpers/test-app';
import { testDatabaseUrl, testRedisUrl } from '../setup/test-env';
import { waitFor } from '../helpers/wait-for';

/**
 * Issue 16, item 3, across real processes: two `start:api` desks on one PostgreSQL. A token revoked or a role
 * changed through one is refused by the other within 5 seconds, though the other had already taken it.
 */
describe('sessions end in every API process', () => {
  jest.setTimeout(90_000);
  let db: DataSource;
  const desks: { desk: DeskProcess; base: string }[] = [];
  const hasher = new PasswordHasher();

  const call = async (
    base: string,
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const signIn = async (base: string, email: string): Promise<string> => {
    const res = await call(base, 'POST', '/api/auth/login', undefined, { email, password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    return res.json.accessToken as string;
  };
  /** Polls until `token` is refused at `base`; returns how long that took. */
  const refusedWithin = async (base: string, token: string, since: number): Promise<number> => {
    for (;;) {
      const { status } = await call(base, 'GET', '/api/users/me', token);
      if (status === 401) return Date.now() - since;
      expect(status).toBe(200);
      if (Date.now() - since > 10_000) throw new Error('still taken after 10 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    db = await new DataSource(
      dataSourceOptions({ url: testDatabaseUrl(), poolSize: 2, embedded: false }),
    ).initialize();
    const env = {
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: `sess${randomBytes(3).toString('hex')}`,
      ADMIN_EMAIL: `admin.${randomBytes(3).toString('hex')}@rosedesk.test`,
      ADMIN_PASSWORD: 'sessions-test-password',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      SMTP_INTAKE_PORT: '0',
    };
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const desk = startDesk({ ...env, PORT: String(port) }, ['--role=api']);
      desks.push({ desk, base: `http://127.0.0.1:${port}` });
      await waitForHealth(port, desk);
    }
  });
  afterAll(async () => {
    for (const { desk } of desks) if (desk.child.exitCode === null) desk.child.kill('SIGTERM');
    await Promise.all(desks.map(({ desk }) => desk.exited));
    await db?.destroy();
  });

  it('a revoke through one desk is refused by the other within 5 s', async () => {
    const [a, b] = desks;
    const admin = await createUser(db, hasher, 'admin');
    const agent = await createUser(db, hasher, 'agent');
    const adminToken = await signIn(a.base, admin.email);
    const token = await signIn(a.base, agent.email);
    expect((await call(b.base, 'GET', '/api/users/me', token)).status).toBe(200);

    const since = Date.now();
    expect((await call(a.base, 'POST', `/api/users/${agent.id}/sessions/revoke`, adminToken)).status).toBe(
      204,
    );
    expect(await refusedWithin(b.base, token, since)).toBeLessThan(5_000);
    expect((await call(a.base, 'GET', '/api/users/me', token)).status).toBe(401);
  });

  it('a new role set through one desk ends the token at the other; signing in there gives the new role', async () => {
    const [a, b] = desks;
    const admin = await createUser(db, hasher, 'admin');
    const agent = await createUser(db, hasher, 'agent');
    const adminToken = await signIn(a.base, admin.email);
    const token = await signIn(b.base, agent.email);
    expect((await call(b.base, 'GET', '/api/users', token)).status).toBe(403);

    const since = Date.now();
    const changed = await call(a.base, 'PATCH', `/api/users/${agent.id}`, adminToken, {
      role: 'desk_manager',
    });
    expect(changed.status).toBe(200);
    expect(await refusedWithin(b.base, token, since)).toBeLessThan(5_000);
    const fresh = await signIn(b.base, agent.email);
    expect((await call(b.base, 'GET', '/api/users', fresh)).status).toBe(200);
  });

  it('a sign-out at one desk ends the same user’s tokens at the other', async () => {
    const [a, b] = desks;
    const agent = await createUser(db, hasher, 'agent');
    const atA = await signIn(a.base, agent.email);
    const atB = await signIn(b.base, agent.email);
    expect((await call(b.base, 'GET', '/api/users/me', atB)).status).toBe(200);
    const since = Date.now();
    expect((await call(a.base, 'POST', '/api/auth/logout', atA)).status).toBe(204);
    expect(await refusedWithin(b.base, atB, since)).toBeLessThan(5_000);
  });

  it('logs JSON lines when stdout is not a terminal', () => {
    const lines = desks[0].desk
      .output()
      .split('\n')
      .filter((l) => l.trim().startsWith('{'));
    const boot = lines
      .map((l) => JSON.parse(l) as { msg?: string })
      .find((l) => l.msg?.startsWith('RoseDesk started'));
    expect(boot).toMatchObject({ service: 'rosedesk', role: 'api' });
  });
});

/** The LISTEN connection is lost and comes back: notifications work again, and nothing stale was kept meanwhile. */
describe('session notifications after a lost connection', () => {
  it('reconnects and clears its cache; revocations reach it again at once', async () => {
    const [a, b] = [await createTestApp(), await createTestApp()];
    const pg = new Client({ connectionString: testDatabaseUrl() });
    await pg.connect();
    try {
      const listeners = async (): Promise<number[]> =>
        (
          await pg.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN rosedesk_user_sessions'",
          )
        ).rows.map((r) => r.pid);
      const before = await listeners();
      expect(before.length).toBeGreaterThanOrEqual(2);
      await pg.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [before]);
      await waitFor(
        async () => (await listeners()).filter((p) => !before.includes(p)).length >= 2,
        'both listeners to reconnect',
      );

      const hasher = new PasswordHasher();
      const admin = await createUser(a.db, hasher, 'admin');
      const agent = await createUser(a.db, hasher, 'agent');
      const login = async (email: string) =>
        (await a.http().post('/api/auth/login').send({ email, password: TEST_PASSWORD }).expect(200)).body
          .accessToken as string;
      const [adminToken, token] = [await login(admin.email), await login(agent.email)];
      await b.http().get('/api/users/me').set('Authorization', `Bearer ${token}`).expect(200);
      const since = Date.now();
      await a
        .http()
        .post(`/api/users/${agent.id}/sessions/revoke`)
        .set('Authorization', `Bearer ${adminToken}`)
        .expect(204);
      await waitFor(
        async () =>
          (await b.http().get('/api/users/me').set('Authorization', `Bearer ${token}`)).status === 401,
        'the revoked token to be refused',
        5_000,
      );
      expect(Date.now() - since).toBeLessThan(2_500);
    } finally {
      await pg.end();
      await a.close();
      await b.close();
    }
  });
});
