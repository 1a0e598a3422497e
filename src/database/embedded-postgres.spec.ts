import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type Notification } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

/** The embedded database (real PGlite behind pglite-socket with our wire queue), through the `pg` driver. */
describe('embedded PostgreSQL', () => {
  jest.setTimeout(60_000);
  let dir: string;
  let pg: EmbeddedPostgres;
  const clients: Client[] = [];

  const connect = async (): Promise<Client> => {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    clients.push(client);
    return client;
  };
  const notificationsOf = (client: Client): Notification[] => {
    const seen: Notification[] = [];
    client.on('notification', (n) => seen.push(n));
    return seen;
  };
  const until = async (check: () => boolean): Promise<void> => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rosedesk-embedded-pg-'));
    pg = await startEmbeddedPostgres(dir);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers NOTIFY to the connections that LISTEN on the channel, and to no other', async () => {
    const [listener, other, notifier] = [await connect(), await connect(), await connect()];
    const heard = notificationsOf(listener);
    const overheard = [...notificationsOf(other), ...notificationsOf(notifier)];
    await listener.query('-- as BullMQ sends it\nLISTEN bullmq_jobs;');
    await other.query('LISTEN bullmq_events');

    await notifier.query('BEGIN');
    await notifier.query("SELECT pg_notify('bullmq_jobs', $1)", ['mail']); // extended protocol, inside a transaction
    await notifier.query('COMMIT');
    await notifier.query("NOTIFY bullmq_jobs, 'sla'"); // simple protocol
    await until(() => heard.length >= 2);

    expect(heard.map((n) => [n.channel, n.payload])).toEqual([
      ['bullmq_jobs', 'mail'],
      ['bullmq_jobs', 'sla'],
    ]);
    expect(overheard).toEqual([]);
  });

  it('stops delivering to a connection after its UNLISTEN, and after it disconnects', async () => {
    const [listener, notifier] = [await connect(), await connect()];
    const heard = notificationsOf(listener);
    await listener.query('LISTEN rosedesk_test_channel');
    await notifier.query("NOTIFY rosedesk_test_channel, 'one'");
    await until(() => heard.length >= 1);
    await listener.query('UNLISTEN rosedesk_test_channel');
    await notifier.query("NOTIFY rosedesk_test_channel, 'two'");
    await notifier.query('SELECT 1'); // a round trip after the NOTIFY: anything routed has been written by now
    expect(heard.map((n) => n.payload)).toEqual(['one']);

    const leaving = await connect();
    await leaving.query('LISTEN rosedesk_test_channel');
    await leaving.end();
    clients.splice(clients.indexOf(leaving), 1);
    await expect(notifier.query("NOTIFY rosedesk_test_channel, 'three'")).resolves.toBeDefined();
  });

  it('keeps a rolled-back NOTIFY to itself', async () => {
    const [listener, notifier] = [await connect(), await connect()];
    const heard = notificationsOf(listener);
    await listener.query('LISTEN rosedesk_rollback_channel');
    await notifier.query('BEGIN');
    await notifier.query("NOTIFY rosedesk_rollback_channel, 'never'");
    await notifier.query('ROLLBACK');
    await notifier.query("NOTIFY rosedesk_rollback_channel, 'after'");
    await until(() => heard.length >= 1);
    expect(heard.map((n) => n.payload)).toEqual(['after']);
  });
});
