import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startDesk, waitForHealth } from '../helpers/desk-process';

/**
 * The zero-setup mode as a user meets it: `node dist/src/main.js` with no DATABASE_URL and no REDIS_URL.
 * Start, sign in with the generated admin password, create a record, stop with SIGTERM, start again, read it.
 */
describe('embedded mode (PGlite, BullMQ on PostgreSQL), as a real process', () => {
  jest.setTimeout(180_000);
  // A cold embedded start (PGlite in WASM, migrations, the demo directory) took 31–35 s on a machine loaded 12–14 on
  // 2 cores; the health wait allows 60 s.
  const STARTUP_MS = 60_000;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rosedesk-smoke-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps data across a SIGTERM and a restart, and prints the generated admin password only once', async () => {
    const port = await freePort();
    const env = { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' };

    const first = startDesk(env);
    await waitForHealth(port, first, STARTUP_MS);
    const password = /with the password: (\S+)/.exec(first.output())?.[1];
    expect(password).toBeDefined();
    expect(first.output()).toContain('RoseDesk started: mode embedded');

    const base = `http://127.0.0.1:${port}`;
    const login = async (): Promise<string> => {
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@rosedesk.local', password }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { accessToken: string }).accessToken;
    };
    let token = await login();
    const sites = (await (
      await fetch(`${base}/api/sites`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { items: { class: string }[] };
    expect(sites.items).toHaveLength(169);

    const created = await fetch(`${base}/api/trusts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ code: 'SMOKE1', name: 'Smoke Test Trust', kind: 'pct' }),
    });
    expect(created.status).toBe(201);

    first.child.kill('SIGTERM');
    await expect(first.exited).resolves.toBe(0);

    const second = startDesk(env);
    try {
      await waitForHealth(port, second, STARTUP_MS);
      expect(second.output()).not.toContain('with the password');
      token = await login();
      const res = await fetch(`${base}/api/trusts/SMOKE1`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ code: 'SMOKE1', name: 'Smoke Test Trust' });
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
