import { ImapFlow } from 'imapflow';
import { ImapPoller } from '../../src/modules/intake/email/imap-poller';
import { buildMail, processed, send, smtpPort } from '../helpers/email-intake';
import { startTestImapServer, type TestImapServer } from '../helpers/dovecot';
import { createTestApp, type TestApp } from '../helpers/test-app';

const imap = startTestImapServer();
const available = !('unavailable' in imap);
if (!available) {
  // Said once, loudly, instead of failing: the IMAP tests need a real dovecot on loopback.
  console.warn(
    `SKIPPING the IMAP intake tests: dovecot-imapd could not be installed or started here (${imap.unavailable})`,
  );
}

/** The IMAP poller against a real dovecot-imapd on loopback (started by scripts/dovecot-test.sh). */
(available ? describe : describe.skip)('email intake from an IMAP mailbox (dovecot on loopback)', () => {
  const server = imap as TestImapServer;
  let t: TestApp;
  let poller: ImapPoller;
  let client: ImapFlow;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        IMAP_URL: server.url,
        IMAP_USER: server.user,
        IMAP_PASSWORD: server.password,
        IMAP_POLL_SECONDS: '3600',
        SMTP_URL: '',
      },
    });
    await t.db.query(
      "INSERT INTO service (code, name, description) VALUES ('lan', 'LAN', '') ON CONFLICT (code) DO NOTHING",
    );
    poller = t.app.get(ImapPoller);
    client = new ImapFlow({
      host: '127.0.0.1',
      port: Number(new URL(server.url).port),
      secure: false,
      auth: { user: server.user, pass: server.password },
      logger: false,
    });
    await client.connect();
    await poller.poll();
  });
  afterAll(async () => {
    await client?.logout().catch(() => undefined);
    await t?.close();
    server.stop();
  });

  const append = async (raw: string): Promise<number> => {
    const appended = await client.append('INBOX', raw);
    if (!appended || appended.uid === undefined) throw new Error('APPEND gave no UID');
    return appended.uid;
  };

  const seen = async (): Promise<Map<number, boolean>> => {
    const flags = new Map<number, boolean>();
    const lock = await client.getMailboxLock('INBOX');
    try {
      for await (const m of client.fetch('1:*', { uid: true, flags: true }, { uid: true }))
        flags.set(m.uid, m.flags?.has('\\Seen') ?? false);
    } finally {
      lock.release();
    }
    return flags;
  };

  it('stores each new message with its UID, then marks it read, and processes it; the next poll finds nothing new', async () => {
    const a = buildMail({ subject: 'Wi-Fi down (IMAP a)' });
    const b = buildMail({ subject: 'Phones down (IMAP b)' });
    const uidA = await append(a.raw);
    const uidB = await append(b.raw);
    expect((await seen()).get(uidA)).toBe(false);

    const result = await poller.poll();
    expect(result).toMatchObject({ ran: true, stored: 2, lastUid: String(uidB) });
    const [rowA] = await processed(t.db, a.messageId as string);
    const [rowB] = await processed(t.db, b.messageId as string);
    expect([rowA.decision, rowB.decision]).toEqual(['created', 'created']);
    const [stored] = await t.db.query(
      'SELECT source, imap_uid, imap_uid_validity FROM inbound_message WHERE id = $1',
      [rowA.id],
    );
    expect(stored).toMatchObject({
      source: 'imap',
      imap_uid: String(uidA),
      imap_uid_validity: result.uidValidity,
    });
    const flags = await seen();
    expect([flags.get(uidA), flags.get(uidB)]).toEqual([true, true]);
    expect(await poller.poll()).toMatchObject({ ran: true, stored: 0 });
  });

  it('takes the same message through SMTP and IMAP as one incident', async () => {
    const mail = buildMail({ subject: 'LAN down (both ways)' });
    await send(smtpPort(t), mail.raw);
    await processed(t.db, mail.messageId as string);
    await client.append('INBOX', mail.raw);
    await poller.poll();
    const rows = await processed(t.db, mail.messageId as string, 2);
    expect(rows.map((r) => r.decision)).toEqual(['created', 'duplicate']);
  });

  it('reads the folder again when UIDVALIDITY changes, and dedupe keeps every message to one incident', async () => {
    const before: { n: number }[] = await t.db.query(
      "SELECT count(*)::int AS n FROM inbound_message WHERE source = 'imap' AND decision <> 'duplicate'",
    );
    await t.db.query('UPDATE imap_cursor SET uid_validity = 1, last_uid = 999');
    const result = await poller.poll();
    expect(result.stored).toBeGreaterThanOrEqual(3);
    const pending: { id: string }[] = await t.db.query(
      "SELECT id FROM inbound_message WHERE source = 'imap'",
    );
    for (const { id } of pending) {
      const [{ message_id }] = await t.db.query('SELECT message_id FROM inbound_message WHERE id = $1', [id]);
      if (message_id) await processed(t.db, message_id as string);
    }
    const after: { n: number }[] = await t.db.query(
      "SELECT count(*)::int AS n FROM inbound_message WHERE source = 'imap' AND decision <> 'duplicate'",
    );
    expect(after[0].n).toBe(before[0].n);
    const [cursor] = await t.db.query('SELECT uid_validity FROM imap_cursor');
    expect(cursor.uid_validity).toBe(result.uidValidity);
  });

  it('lets only one process poll at a time (PostgreSQL advisory lock)', async () => {
    const runner = t.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.query("SELECT pg_advisory_lock(hashtext('rosedesk:imap-poller'))");
      expect(await poller.poll()).toEqual({ ran: false, stored: 0 });
      await runner.query("SELECT pg_advisory_unlock(hashtext('rosedesk:imap-poller'))");
      expect((await poller.poll()).ran).toBe(true);
    } finally {
      await runner.release();
    }
  });
});
