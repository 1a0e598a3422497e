import { randomBytes } from 'node:crypto';
import { FixedClock } from '../../src/common/time/clock';
import { buildMail, DESK, smtpPort } from '../helpers/email-intake';
import { encodeData, RawSmtpClient } from '../helpers/smtp-client';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** The SMTP session itself: what the listener answers to MAIL FROM and RCPT TO, before any message is stored. */
describe('SMTP intake session', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp();
    port = smtpPort(t);
  });
  afterAll(async () => {
    await t.close();
  });

  async function storedWith(
    marker: string,
  ): Promise<{ envelope_from: string | null; envelope_to: string[] }[]> {
    return t.db.query(
      'SELECT envelope_from, envelope_to FROM inbound_message WHERE position($1::bytea in raw) > 0',
      [Buffer.from(marker)],
    );
  }

  it('accepts RFC 5321 quoted local parts in MAIL FROM and RCPT TO, and stores the sender as sent', async () => {
    const marker = `quoted-${randomBytes(4).toString('hex')}`;
    const client = await RawSmtpClient.connect(port);
    try {
      expect(await client.command('MAIL FROM:<"Some Name"@example.com> SIZE=200')).toMatchObject({
        code: 250,
      });
      // The quoted form of a desk address is the desk address; a quoted stranger is no mailbox here (550, not 501).
      expect(await client.command('RCPT TO:<"servicedesk"@rosedesk.local>')).toMatchObject({ code: 250 });
      expect(await client.command('RCPT TO:<"service desk"@rosedesk.local>')).toMatchObject({ code: 550 });
      expect(await client.command('DATA')).toMatchObject({ code: 354 });
      const done = await client.command(
        encodeData(buildMail({ subject: marker }).raw)
          .toString('latin1')
          .slice(0, -2),
      );
      expect(done.code).toBe(250);
    } finally {
      await client.quit();
    }
    expect(await storedWith(marker)).toEqual([
      { envelope_from: '"Some Name"@example.com', envelope_to: ['servicedesk@rosedesk.local'] },
    ]);

    const other = await RawSmtpClient.connect(port);
    try {
      expect(await other.command('MAIL FROM:<"a@b"@example.com>')).toMatchObject({ code: 250 });
      expect(await other.command('RSET')).toMatchObject({ code: 250 });
      expect(await other.command('MAIL FROM:<@relay.example:"x y"@example.com>')).toMatchObject({
        code: 250,
      });
    } finally {
      await other.quit();
    }
  });

  it('still answers 501 to a path that is not RFC 5321', async () => {
    const client = await RawSmtpClient.connect(port);
    try {
      for (const bad of ['<"unterminated@example.com>', '<"a"b@example.com>', '<"a"@-bad-.example>']) {
        expect(await client.command(`MAIL FROM:${bad}`)).toMatchObject({ code: 501 });
      }
      expect(await client.command('MAIL FROM:<jane@nhs.example>')).toMatchObject({ code: 250 });
      expect(await client.command('RCPT TO:<"a"b@rosedesk.local>')).toMatchObject({ code: 501 });
    } finally {
      await client.quit();
    }
  });

  it('limits messages per client address per minute with a temporary 451 4.7.1, and takes them again a minute later', async () => {
    const clock = new FixedClock(new Date());
    const limited = await createTestApp({ clock, env: { INTAKE_SMTP_MESSAGES_PER_MINUTE: '3' } });
    try {
      const limitedPort = smtpPort(limited);
      const run = randomBytes(4).toString('hex');
      const from = async (localAddress: string, i: number) => {
        const client = await RawSmtpClient.connect(limitedPort, '127.0.0.1', localAddress);
        try {
          return await client.send(
            'sender@nhs.example',
            [DESK],
            buildMail({ subject: `rate-${run}-${i}` }).raw,
          );
        } finally {
          await client.quit();
        }
      };
      const first = [];
      for (let i = 0; i < 4; i++) first.push(await from('127.0.0.1', i));
      expect(first.map((d) => d.mailFrom.code)).toEqual([250, 250, 250, 451]);
      expect(first[3].mailFrom.text).toMatch(/^4\.7\.1 /);
      expect(first[3].final).toBeNull();
      // Another client address has its own count.
      expect((await from('127.0.0.2', 10)).final?.code).toBe(250);

      clock.advance(61_000);
      expect((await from('127.0.0.1', 3)).final?.code).toBe(250);
      const [{ n }] = await limited.db.query(
        'SELECT count(*)::int AS n FROM inbound_message WHERE position($1::bytea in raw) > 0',
        [Buffer.from(`rate-${run}-`)],
      );
      expect(n).toBe(5);
    } finally {
      await limited.close();
    }
  });
});
