import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escalatedIncident, escalationRow, escalationWorld } from '../factories/escalation.factory';
import { signedInUser } from '../factories/user.factory';
import { startDesk, type DeskProcess } from '../helpers/desk-process';
import { fakeSupplier } from '../helpers/fake-supplier';
import { createTestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { testDatabaseUrl, testRedisUrl } from '../setup/test-env';

/**
 * kill -9 of the worker process (dist/src/worker.js) while deliveries are in flight: a second worker takes the
 * stalled jobs over; every escalation is delivered at least once, and a repeat carries the same Idempotency-Key, so
 * the supplier can drop it.
 */
describe('escalation deliveries through a SIGKILL of the worker', () => {
  jest.setTimeout(120_000);

  it('delivers every escalation at least once, repeats with the same key', async () => {
    const prefix = `esccrash${randomBytes(4).toString('hex')}`;
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      RUN_MIGRATIONS: 'false',
      SEED_DEMO: 'false',
      ADMIN_EMAIL: 'admin@rosedesk.test',
      ADMIN_PASSWORD: 'crash-test-admin-password',
      JWT_SECRET: 'test-only-signing-key-0123456789abcdef',
      LOG_LEVEL: 'warn',
      OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'rosedesk-esc-crash-')),
      SMTP_INTAKE_PORT: '0',
      ESCALATION_CONCURRENCY: '5',
    };
    const api = await createTestApp({ role: 'api', env: { QUEUE_PREFIX: prefix } });
    const slow = await fakeSupplier({ kind: 'ok', delayMs: 1500 });
    let worker: DeskProcess | null = null;
    try {
      const agent = await signedInUser(api, 'agent');
      const world = await escalationWorld(api, { webhookUrl: slow.url, webhookSecret: slow.secret });
      worker = startDesk(env, [], 'worker.js');
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push((await escalatedIncident(api, agent.auth, world)).escalationId);
      await waitFor(() => Promise.resolve(slow.received.length >= 3), 'deliveries in flight', 60_000);
      worker.child.kill('SIGKILL');
      await worker.exited;
      const seenBeforeKill = slow.received.length;
      worker = startDesk(env, [], 'worker.js');
      await waitFor(
        async () => {
          for (const id of ids) if ((await escalationRow(api, id)).status !== 'sent') return false;
          return true;
        },
        'every escalation delivered after the restart',
        90_000,
      );
      const keys = slow.received.map((d) => d.key);
      for (const id of ids) expect(keys).toContain(`escalation-${id}`);
      expect(new Set(keys).size).toBe(ids.length);
      // The jobs the killed worker held were delivered again: repeats, with the key the supplier dedupes on.
      expect(keys.length).toBeGreaterThanOrEqual(ids.length);
      expect(seenBeforeKill).toBeGreaterThanOrEqual(3);
    } finally {
      if (worker && worker.child.exitCode === null && worker.child.signalCode === null) {
        worker.child.kill('SIGTERM');
        await worker.exited;
      }
      await api.close();
      await slow.close();
    }
  });
});
