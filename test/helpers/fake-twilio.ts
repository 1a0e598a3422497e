import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A delivery status Twilio reports to a text's StatusCallback. */
export type FakeDeliveryStatus = 'delivered' | 'failed' | 'undelivered';

export interface FakeTwilio {
  server: Server;
  /** The base URL to give TWILIO_API_BASE_URL. */
  base: string;
  /** The form of every text Twilio's Messages API accepted, in order (with `Sid`, the SID it was given). */
  texts: Record<string, string>[];
  /**
   * Where Twilio's status callbacks go: set it to post (signed) to the app. Each accepted text with a
   * StatusCallback gets one, after the API's answer, with the status `statusFor` gives its number.
   */
  onStatus: ((url: string, form: Record<string, string>) => Promise<void>) | null;
  statusFor: (to: string) => FakeDeliveryStatus;
  /** Status callbacks still being delivered (await it before checking what they did). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A local server speaking Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json with Basic auth,
 * 201 with a message SID), so the real `twilio` client library runs. The first `failFirst` sends answer 500 (with
 * `failBody`, only sends of that text count: the app may also send texts other tests left unsent in the shared
 * database). Like Twilio, it then reports each text's delivery to the text's StatusCallback (through `onStatus`).
 */
export function fakeTwilio(options: { failFirst?: number; failBody?: string } = {}): Promise<FakeTwilio> {
  const texts: Record<string, string>[] = [];
  let failuresLeft = options.failFirst ?? 0;
  const pending = new Set<Promise<void>>();
  const fake: Pick<FakeTwilio, 'onStatus' | 'statusFor'> = { onStatus: null, statusFor: () => 'delivered' };
  /** Twilio reports the delivery a little later, to the StatusCallback the text named. */
  const report = (sid: string, form: Record<string, string>): void => {
    const onStatus = fake.onStatus;
    if (!form.StatusCallback || !onStatus) return;
    const status = fake.statusFor(form.To);
    const done: Promise<void> = new Promise((wait) => setTimeout(wait, 5))
      .then(() =>
        onStatus(form.StatusCallback, {
          AccountSid: `AC${'0'.repeat(32)}`,
          MessageSid: sid,
          SmsSid: sid,
          MessageStatus: status,
          SmsStatus: status,
          To: form.To,
          From: form.From,
          ApiVersion: '2010-04-01',
          ...(status === 'delivered' ? {} : { ErrorCode: status === 'failed' ? '30006' : '30003' }),
        }),
      )
      .catch(() => undefined)
      .finally(() => pending.delete(done));
    pending.add(done);
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      const ok =
        req.method === 'POST' &&
        /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json$/.test(req.url ?? '') &&
        (req.headers.authorization ?? '').startsWith('Basic ');
      if (!ok) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ code: 20404, message: 'not found', status: 404 }));
        return;
      }
      if (failuresLeft > 0 && (options.failBody === undefined || form.Body === options.failBody)) {
        failuresLeft--;
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ code: 20500, message: 'Internal Server Error', status: 500 }));
        return;
      }
      // 32 random digits (Twilio's SIDs are hex): unique across fakes, since the desk keys delivery statuses by
      // message SID in a database tests share.
      const sid = `SM${[...randomBytes(32)].map((b) => b % 10).join('')}`;
      texts.push({ ...form, Sid: sid });
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ sid, status: 'queued', to: form.To, from: form.From, body: form.Body }));
      report(sid, form);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(
        Object.assign(fake, {
          server,
          base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          texts,
          settled: async () => {
            while (pending.size > 0) await Promise.all([...pending]);
          },
          close: () => new Promise<void>((r) => server.close(() => r())),
        }),
      ),
    ),
  );
}
