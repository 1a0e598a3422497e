import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DESK, buildMail } from '../helpers/email-intake';
import { freePort, startDesk, waitForHealth, type DeskProcess } from '../helpers/desk-process';
import { deliver, RawSmtpClient } from '../helpers/smtp-client';
import { testDatabaseUrl, testRedisUrl } from '../setup/test-env';
import { waitFor } from '../helpers/wait-for';

/**
 * Faults with the built app as a real process (dist/, built by `npm test`): SIGKILL while mail streams in, and
 * PostgreSQL stopped during intake (a throwaway server from scripts/test-services.sh, never the machine's).
 */
describe('email intake through crashes and a database outage', () => {
  jest.setTimeout(240_000);
  const outbox = mkdtempSync(join(tmpdir(), 'rosedesk-crash-outbox-'));
  afterAll(() => rmSync(outbox, { recursive: true, force: true }));

  async function deskEnv(databaseUrl: string): Promise<Record<string, string>> {
    return {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: `crash${randomBytes(4).toString('hex')}`,
      PORT: String(await freePort()),
      SMTP_INTAKE_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      RUN_MIGRATIONS: 'false',
      SEED_DEMO: 'false',
      ADMIN_EMAIL: 'admin@rosedesk.test',
      ADMIN_PASSWORD: 'crash-test-admin-password',
      JWT_SECRET: 'crash-test-signing-key-0123456789abcdef',
      LOG_LEVEL: 'warn',
      OUTBOX_DIR: outbox,
      INTAKE_SWEEP_SECONDS: '2',
      INTAKE_CLAIM_SECONDS: '3',
    };
  }

  async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async function stop(desk: DeskProcess): Promise<void> {
    if (desk.child.exitCode === null && desk.child.signalCode === null) {
      desk.child.kill('SIGTERM');
      await desk.exited;
    }
  }

  it('processes every message that got 250 exactly once after a SIGKILL in the middle of a stream', async () => {
    const url = testDatabaseUrl();
    await sql(
      url,
      "INSERT INTO service (code, name, description) VALUES ('lan', 'LAN', '') ON CONFLICT (code) DO NOTHING",
    );
    const env = await deskEnv(url);
    const smtpPort = Number(env.SMTP_INTAKE_PORT);
    let desk = startDesk(env);
    await waitForHealth(Number(env.PORT), desk);

    const run = randomBytes(4).toString('hex');
    const accepted: string[] = [];
    let killed = false;
    const sender = async (lane: number): Promise<void> => {
      let client: RawSmtpClient | null = null;
      for (let i = 0; !killed || i < 0; i++) {
        try {
          client ??= await RawSmtpClient.connect(smtpPort);
          const { raw, messageId } = buildMail({
            subject: `crash-${run}-${lane}-${i} network down`,
            messageId: `crash-${run}-${lane}-${i}@nhs.example`,
          });
          const delivery = await client.send('stream@nhs.example', [DESK], raw);
          if (delivery.final?.code === 250) accepted.push(messageId as string);
          else if (delivery.final === null || delivery.final.code === 0) break;
        } catch {
          break;
        }
      }
      client?.destroy();
    };
    const lanes = Array.from({ length: 8 }, (_, lane) => sender(lane));
    await waitFor(
      () => Promise.resolve(accepted.length >= 120 || undefined),
      '120 accepted messages',
      60_000,
    );
    desk.child.kill('SIGKILL');
    killed = true;
    await desk.exited;
    await Promise.all(lanes);
    const acceptedAtKill = [...accepted];

    const [{ unfinished }] = await sql<{ unfinished: number }>(
      url,
      "SELECT count(*)::int AS unfinished FROM inbound_message WHERE message_id IS NULL AND position($1::bytea in raw) > 0 AND status IN ('received', 'processing')",
      [Buffer.from(`crash-${run}`)],
    );
    desk = startDesk(env);
    try {
      await waitForHealth(Number(env.PORT), desk);
      const rows = await waitFor(
        async () => {
          const found = await sql<{
            message_id: string;
            status: string;
            decision: string;
            incident_id: string | null;
          }>(
            url,
            'SELECT message_id, status, decision, incident_id FROM inbound_message WHERE position($1::bytea in raw) > 0',
            [Buffer.from(`crash-${run}`)],
          );
          return found.length > 0 && found.every((r) => r.status === 'processed') ? found : undefined;
        },
        'every stored message of the stream to be processed after the restart',
        120_000,
      ).catch(async (err: unknown) => {
        console.log(
          JSON.stringify(
            await sql(
              url,
              'SELECT status, decision, error, count(*) FROM inbound_message WHERE position($1::bytea in raw) > 0 GROUP BY 1, 2, 3',
              [Buffer.from(`crash-${run}`)],
            ),
          ),
          desk.output().slice(-3000),
        );
        throw err;
      });

      // Every message that got 250 is there, once, with its incident; no message made two incidents.
      const byId = new Map<string, number>();
      for (const r of rows) byId.set(r.message_id, (byId.get(r.message_id) ?? 0) + 1);
      for (const id of acceptedAtKill) expect(byId.get(id)).toBe(1);
      expect(rows.every((r) => r.decision === 'created' && r.incident_id !== null)).toBe(true);
      const incidents = await sql<{ summary: string; n: number }>(
        url,
        'SELECT summary, count(*)::int AS n FROM incident WHERE summary LIKE $1 GROUP BY summary',
        [`crash-${run}-%`],
      );
      expect(incidents.length).toBe(rows.length);
      expect(incidents.every((i) => i.n === 1)).toBe(true);
      console.log(
        `SIGKILL test: ${acceptedAtKill.length} accepted before the kill, ${rows.length} stored, ${unfinished} unprocessed at the kill; all processed once after the restart`,
      );
    } finally {
      await stop(desk);
    }
  });

  it('answers 451 while PostgreSQL is down, loses nothing it accepted, and takes the retried message afterwards', async () => {
    const dir = join(tmpdir(), `rosedesk-email-pg-${randomBytes(4).toString('hex')}`);
    const pgPort = String(await freePort());
    const services = {
      ...process.env,
      TEST_SERVICES_DIR: dir,
      PGPORT: pgPort,
      REDIS_PORT: String(await freePort()),
    };
    const script = (action: string): void => {
      execFileSync('bash', ['scripts/test-services.sh', action], {
        env: services,
        stdio: 'pipe',
        timeout: 120_000,
      });
    };
    script('start');
    const admin = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
    const url = `postgres://postgres@127.0.0.1:${pgPort}/rosedesk_email_outage_test`;
    await sql(admin, 'CREATE DATABASE rosedesk_email_outage_test');
    execFileSync(process.execPath, ['dist/src/cli/migrate.js'], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: 'pipe',
    });
    await sql(url, "INSERT INTO service (code, name, description) VALUES ('lan', 'LAN', '')");

    const env = await deskEnv(url);
    const smtpPort = Number(env.SMTP_INTAKE_PORT);
    const desk = startDesk(env);
    try {
      await waitForHealth(Number(env.PORT), desk);
      const before = Array.from({ length: 5 }, (_, i) => buildMail({ subject: `outage before ${i}` }));
      for (const m of before)
        expect((await deliver(smtpPort, 'a@nhs.example', [DESK], m.raw)).final?.code).toBe(250);

      script('stop');
      const during = buildMail({ subject: 'outage during' });
      const refused = await deliver(smtpPort, 'a@nhs.example', [DESK], during.raw);
      expect(refused.final?.code).toBe(451);
      expect(desk.child.exitCode).toBeNull();

      script('start');
      // The sending server keeps the message and tries again.
      const retried = await waitFor(
        async () => {
          const delivery = await deliver(smtpPort, 'a@nhs.example', [DESK], during.raw);
          return delivery.final?.code === 250 ? delivery : undefined;
        },
        'the listener to take mail again',
        60_000,
      );
      expect(retried.final?.code).toBe(250);

      const ids = [...before, during].map((m) => m.messageId as string);
      const rows = await waitFor(
        async () => {
          const found = await sql<{ message_id: string; status: string; decision: string }>(
            url,
            'SELECT message_id, status, decision FROM inbound_message WHERE message_id = ANY($1)',
            [ids],
          );
          return found.length === ids.length && found.every((r) => r.status === 'processed')
            ? found
            : undefined;
        },
        'every accepted message to be processed',
        90_000,
      ).catch(async (err: unknown) => {
        console.log(
          JSON.stringify(
            await sql(url, 'SELECT message_id, status, decision, error, attempts FROM inbound_message'),
          ),
          desk.output().slice(-3000),
        );
        throw err;
      });
      expect(rows.map((r) => r.decision)).toEqual(Array(6).fill('created'));
    } finally {
      await stop(desk);
      script('clean');
    }
  });
});
