import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { PgListener } from './pg-listener';

/** The session notifications in the embedded mode: LISTEN/NOTIFY through PGlite's one session and our wire queue. */
describe('PgListener on the embedded database', () => {
  jest.setTimeout(60_000);
  let dir: string;
  let pg: EmbeddedPostgres;
  let notifier: Client;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rosedesk-pg-listener-'));
    pg = await startEmbeddedPostgres(dir);
    notifier = new Client({ connectionString: pg.url });
    await notifier.connect();
  });
  afterAll(async () => {
    await notifier.end();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('hears the NOTIFYs of its channel committed by another connection, and no other channel', async () => {
    const heard: string[] = [];
    let gaps = 0;
    const listener = new PgListener(
      pg.url,
      'rosedesk_user_sessions',
      { onNotification: (payload) => heard.push(payload), onGap: () => gaps++ },
      (err) => {
        throw err;
      },
    );
    await listener.start();
    try {
      expect(listener.listening).toBe(true);
      expect(gaps).toBe(1);
      await notifier.query('BEGIN');
      await notifier.query("SELECT pg_notify('rosedesk_user_sessions', 'user-1')");
      await notifier.query("SELECT pg_notify('some_other_channel', 'user-2')");
      expect(heard).toEqual([]);
      await notifier.query('COMMIT');
      for (let i = 0; i < 100 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(heard).toEqual(['user-1']);
    } finally {
      await listener.stop();
    }
    expect(listener.listening).toBe(false);
  });
});
