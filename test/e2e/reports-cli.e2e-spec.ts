import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { incidentIdOf, parkClocks } from '../factories/sla.factory';
import { signedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { testDatabaseUrl, testRedisUrl } from '../setup/test-env';

const run = promisify(execFile);

/** `npm run report` (dist/src/cli/report.js) as the operator runs it, against the test database. */
describe('npm run report -- --trust <code> --month <YYYY-MM> [--csv]', () => {
  let t: TestApp;
  let trust: string;
  const ids: string[] = [];
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    RUN_MIGRATIONS: 'false',
    JWT_SECRET: 'test-only-signing-key-0123456789abcdef',
  };
  const report = (...args: string[]) => run(process.execPath, ['dist/src/cli/report.js', ...args], { env });
  const month = new Date().toISOString().slice(0, 7);

  beforeAll(async () => {
    t = await createTestApp();
    const agent = await signedInUser(t, 'agent');
    const tr = await createTrust(t.db);
    trust = tr.code;
    const site = await createSite(t.db, tr);
    const service = await createService(t.db, await createSupplier(t.db));
    for (let i = 0; i < 2; i++) {
      const { reference } = await createIncident(t, agent.auth, incidentBody(site, service));
      ids.push(await incidentIdOf(t.db, reference));
    }
  });
  afterAll(async () => {
    await parkClocks(t.db, ids);
    await t.close();
  });

  it('prints the JSON report of one trust and month', async () => {
    const { stdout } = await report('--trust', trust, '--month', month);
    expect(JSON.parse(stdout)).toMatchObject({ trust, total: 2, frozen: null });
  }, 60_000);

  it('prints the CSV with --csv', async () => {
    const { stdout } = await report('--trust', trust, '--month', month, '--csv');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^reference,reported_at,trust,/);
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual([trust, trust]);
  }, 60_000);

  it.each([
    [['--trust', 'X'], /Usage/],
    [['--trust', 'X', '--month', '2026-13'], /--month must be a month YYYY-MM/],
    [['--trust', 'NOSUCHTRUST', '--month', '2026-10'], /No trust "NOSUCHTRUST"/],
  ])(
    'refuses %j with exit code 2',
    async (args, message) => {
      await expect(report(...args)).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringMatching(message),
      });
    },
    60_000,
  );
});
