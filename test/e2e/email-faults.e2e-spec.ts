import { randomBytes } from 'node:crypto';
import {
  DESK,
  buildMail,
  processed,
  processedByMarker,
  send,
  smtpPort,
  uniqueMessageId,
} from '../helpers/email-intake';
import { deliver, RawSmtpClient } from '../helpers/smtp-client';
import { signedInUser } from '../factories/user.factory';
import { uniqueEmail } from '../factories/directory.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { zip } from '../helpers/zip';

/** Bad input: every case gets a defined outcome (stored and refused with a reason, or processed with what can be read). */
describe('email intake with bad input', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({
      env: { INTAKE_MAX_BYTES: '1000000', ATTACHMENT_MAX_BYTES: '100000', SMTP_URL: '' },
    });
    port = smtpPort(t);
    await t.db.query(
      "INSERT INTO service (code, name, description) VALUES ('lan', 'LAN', '') ON CONFLICT (code) DO NOTHING",
    );
  });
  afterAll(() => t.close());

  const count = async (sql: string, params: unknown[]): Promise<number> =>
    (await t.db.query<{ n: number }[]>(sql, params))[0]?.n ?? 0;

  it('refuses recipients other than the desk with 550, and takes the message for the desk', async () => {
    const { raw, messageId } = buildMail();
    const delivery = await deliver(
      port,
      'a@nhs.example',
      ['someone@elsewhere.example', DESK.toUpperCase()],
      raw,
    );
    expect(delivery.rcptTo.map((r) => r.code)).toEqual([550, 250]);
    expect(delivery.final?.code).toBe(250);
    expect((await processed(t.db, messageId as string))[0]).toMatchObject({ decision: 'created' });
    const only = await deliver(port, 'a@nhs.example', ['someone@elsewhere.example'], raw);
    expect(only.rcptTo[0]?.code).toBe(550);
    expect(only.final).toBeNull();
  });

  it('answers 552 to a message over INTAKE_MAX_BYTES and stores nothing', async () => {
    const marker = randomBytes(8).toString('hex');
    const { raw } = buildMail({ subject: marker, body: 'x'.repeat(76).concat('\n').repeat(15_000) });
    const delivery = await deliver(port, 'a@nhs.example', [DESK], raw);
    expect(delivery.final?.code).toBe(552);
    expect(
      await count('SELECT count(*)::int AS n FROM inbound_message WHERE position($1::bytea in raw) > 0', [
        Buffer.from(marker),
      ]),
    ).toBe(0);
    const client = await RawSmtpClient.connect(port);
    expect((await client.command('MAIL FROM:<a@nhs.example> SIZE=2000000')).code).toBe(552);
    await client.quit();
  });

  it('processes malformed MIME with what can be read', async () => {
    const marker = `malformed-${randomBytes(6).toString('hex')}`;
    const raw = [
      'From: Broken Client <broken@nhs.example>',
      `To: ${DESK}`,
      `Subject: ${marker} wifi`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="never-closed"',
      '',
      '--never-closed',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      'VGhlIHdpZmkgaXMgZG93bg==!!!not base64!!!',
      '--never-closed',
      'Content-Type: application/octet-stream; name="half.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      'AAEC',
    ].join('\r\n');
    await send(port, raw);
    const row = await processedByMarker(t.db, marker);
    expect(row).toMatchObject({
      status: 'processed',
      decision: 'created',
      dedupe_key: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('processes a message with no headers at all into triage, unacknowledged', async () => {
    const marker = `headerless-${randomBytes(6).toString('hex')}`;
    await send(port, `\r\n${marker}: the phones are down\r\n`);
    const row = await processedByMarker(t.db, marker);
    expect(row).toMatchObject({
      status: 'processed',
      decision: 'created',
      dedupe_key: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(row.log.find((l) => l.step === 8)).toMatchObject({ decision: 'not_sent' });
    expect(row.log.find((l) => l.step === 6)?.decision).toBe('needs_triage');
  });

  it('stores and refuses a message with a 10,000-line header section, and lists it as refused', async () => {
    const messageId = uniqueMessageId();
    const received = Array.from(
      { length: 10_000 },
      (_, i) => `Received: from hop${i}.example by hop${i + 1}.example; Mon, 1 Jan 2024 00:00:00 +0000`,
    );
    const { raw } = buildMail({ messageId });
    await send(port, `${received.join('\r\n')}\r\n${raw}`);
    const [row] = await processed(t.db, messageId);
    expect(row).toMatchObject({ status: 'refused', decision: 'refused_headers', step: 0, incident_id: null });
    expect(row.reason).toContain('10');
    const agent = await signedInUser(t, 'agent');
    const list = await t.http().get('/api/intake/messages?status=refused').set(agent.auth).expect(200);
    expect((list.body.items as { id: string }[]).some((i) => i.id === row.id)).toBe(true);
  });

  it('takes a message with 500 envelope recipients (499 refused) and 500 header recipients, copying at most 20 onto the incident', async () => {
    const others = Array.from({ length: 499 }, (_, i) => `person${i}@elsewhere.example`);
    const { raw, messageId } = buildMail({ to: [DESK, ...others].join(', ') });
    const delivery = await deliver(port, 'a@nhs.example', [...others, DESK], raw);
    expect(delivery.rcptTo.filter((r) => r.code === 550)).toHaveLength(499);
    expect(delivery.final?.code).toBe(250);
    const [row] = await processed(t.db, messageId as string);
    expect(row.decision).toBe('created');
    expect(
      await count(
        "SELECT count(*)::int AS n FROM incident_participant WHERE incident_id = $1 AND role = 'cc'",
        [row.incident_id],
      ),
    ).toBe(20);
  });

  it('keeps the incident but leaves an attachment over ATTACHMENT_MAX_BYTES in the stored original only; a zip of zips is kept, never unpacked', async () => {
    const inner = zip([{ name: 'a.txt', data: Buffer.from('hello') }]);
    const nested = zip([
      { name: 'inner1.zip', data: inner },
      { name: 'inner2.zip', data: zip([{ name: 'deeper.zip', data: inner }]) },
    ]);
    const big = randomBytes(150_000);
    const messageId = uniqueMessageId();
    const raw = [
      `From: Sender <${uniqueEmail('files')}>`,
      `To: ${DESK}`,
      'Subject: Logs attached',
      `Message-ID: <${messageId}>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Switch logs attached.',
      '--b1',
      'Content-Type: application/zip; name="logs.zip"',
      'Content-Disposition: attachment; filename="logs.zip"',
      'Content-Transfer-Encoding: base64',
      '',
      nested.toString('base64').replace(/.{76}/g, '$&\r\n'),
      '--b1',
      'Content-Type: application/octet-stream; name="capture.pcap"',
      'Content-Disposition: attachment; filename="capture.pcap"',
      'Content-Transfer-Encoding: base64',
      '',
      big.toString('base64').replace(/.{76}/g, '$&\r\n'),
      '--b1--',
      '',
    ].join('\r\n');
    await send(port, raw);
    const [row] = await processed(t.db, messageId);
    expect(row.decision).toBe('created');
    const files: { filename: string; content_type: string; size: number }[] = await t.db.query(
      'SELECT filename, content_type, size FROM attachment WHERE incident_id = $1',
      [row.incident_id],
    );
    expect(files).toEqual([{ filename: 'logs.zip', content_type: 'application/zip', size: nested.length }]);
    expect(row.log.find((l) => l.decision === 'attachments_partly_kept')?.reason).toContain('capture.pcap');
  });

  it('reads what it can of unknown and invalid charsets', async () => {
    const messageId = uniqueMessageId();
    const raw = Buffer.concat([
      Buffer.from(
        [
          'From: =?x-bogus?B?SmFuZQ==?= <charset@nhs.example>',
          `To: ${DESK}`,
          'Subject: =?x-unknown?Q?Wi-Fi_down?= =?utf-8?B?8J+Ymg==?=',
          `Message-ID: <${messageId}>`,
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset="x-no-such-charset"',
          'Content-Transfer-Encoding: 8bit',
          '',
          'Caf',
        ].join('\r\n'),
      ),
      Buffer.from([0xe9, 0xff, 0xfe, 0x20]),
      Buffer.from(' wifi down\r\n'),
    ]);
    await send(port, raw);
    const [row] = await processed(t.db, messageId);
    expect(row).toMatchObject({ status: 'processed', decision: 'created' });
  });

  it('takes the same message twice, even at the same moment on two connections, as one incident', async () => {
    const { raw, messageId } = buildMail();
    await Promise.all([send(port, raw), send(port, raw)]);
    await send(port, raw);
    const rows = await processed(t.db, messageId as string, 3);
    expect(rows.map((r) => r.decision).sort()).toEqual(['created', 'duplicate', 'duplicate']);
    expect(
      new Set(rows.map((r) => r.incident_id ?? rows.find((x) => x.id === r.duplicate_of)?.incident_id)).size,
    ).toBe(1);
  });

  it('takes mail from the null sender and binary garbage without losing it', async () => {
    const marker = `garbage-${randomBytes(6).toString('hex')}`;
    const garbage = Buffer.concat([
      Buffer.from(`X-Marker: ${marker}\r\n\r\n`),
      randomBytes(4096).map((b) => (b === 0x0a || b === 0x0d ? 0x20 : b)),
    ]);
    const delivery = await deliver(port, '', [DESK], garbage);
    expect(delivery.final?.code).toBe(250);
    const row = await processedByMarker(t.db, marker);
    expect(row).toMatchObject({ status: 'processed', error: null });
  });
});
