import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createUser, TEST_PASSWORD } from '../factories/user.factory';
import { freePort, startDesk, waitForHealth, type DeskProcess } from '../helpers/desk-process';
import { testDatabaseUrl, testRedisUrl } from '../setup/test-env';
import { waitFor } from '../helpers/wait-for';

/**
 * `npm run start:api` and `npm run start:worker` as real processes on one PostgreSQL (and Redis): the API role
 * serves HTTP and runs no queue workers; the worker role sends the mail the API queued.
 */
describe.each([
  ['scaled (Redis)', { REDIS_URL: testRedisUrl() }],
  ['single server (PostgreSQL queues)', {}],
])('split roles, %s', (_mode, queueEnv) => {
  jest.setTimeout(90_000);
  let outbox: string;
  let db: DataSource;
  const running: DeskProcess[] = [];

  beforeAll(async () => {
    outbox = await mkdtemp(join(tmpdir(), 'rosedesk-split-outbox-'));
    db = await new DataSource(
      dataSourceOptions({ url: testDatabaseUrl(), poolSize: 2, embedded: false }),
    ).initialize();
  });
  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGTERM');
    await Promise.all(running.map((p) => p.exited));
    await db.destroy();
    await rm(outbox, { recursive: true, force: true });
  });

  it('the API queues the acknowledgement; only the worker sends it', async () => {
    const trust = await createTrust(db);
    const site = await createSite(db, trust);
    const service = await createService(db, await createSupplier(db));
    const port = await freePort();
    const env = {
      DATABASE_URL: testDatabaseUrl(),
      ...queueEnv,
      QUEUE_PREFIX: `split${randomBytes(3).toString('hex')}`,
      OUTBOX_DIR: outbox,
      ADMIN_EMAIL: `admin.${randomBytes(3).toString('hex')}@rosedesk.test`,
      ADMIN_PASSWORD: 'split-roles-password',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      PORT: String(port),
    };
    const api = startDesk(env, ['--role=api']);
    running.push(api);
    await waitForHealth(port, api);
    // Sign in as an agent made for this test (the first admin exists only on an empty database).
    const agent = await createUser(db, new PasswordHasher(), 'agent');
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: agent.email, password: TEST_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const created = await fetch(`http://127.0.0.1:${port}/api/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({
        siteCode: site.code,
        service: service.code,
        impact: 'one_user',
        urgency: 'low',
        summary: 'Split roles check',
        description: 'Queued by the API, sent by the worker.',
        reporter: { name: 'Split Reporter', email: `split.${site.code}@example.test` },
      }),
    });
    expect(created.status).toBe(201);
    const { reference } = (await created.json()) as { reference: string };

    const ack = async (): Promise<{ id: string; status: string }> =>
      (
        await db.query(
          'SELECT id, status FROM outbound_message WHERE incident_id = (SELECT id FROM incident WHERE number = $1)',
          [Number(reference.slice(4))],
        )
      )[0];
    await new Promise((r) => setTimeout(r, 1500));
    const { id } = await ack();
    expect((await ack()).status).toBe('pending');
    expect((await readdir(outbox)).filter((f) => f.includes(id))).toEqual([]);

    const { PORT: _httpOnly, ...workerEnv } = env;
    const worker = startDesk(workerEnv, [], 'worker.js');
    running.push(worker);
    await waitFor(
      async () => ((await ack()).status === 'sent' ? true : undefined),
      'the worker to send the acknowledgement',
      45_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nworker output:\n${worker.output()}`);
    });
    expect((await readdir(outbox)).filter((f) => f.includes(id))).toHaveLength(1);
    worker.child.kill('SIGTERM');
    await expect(worker.exited).resolves.toBe(0);
  });
});
