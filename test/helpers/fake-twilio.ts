import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTwilio {
  server: Server;
  /** The base URL to give TWILIO_API_BASE_URL. */
  base: string;
  /** The form of every text Twilio's Messages API accepted, in order. */
  texts: Record<string, string>[];
  close(): Promise<void>;
}

/**
 * A local server speaking Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json with Basic auth,
 * 201 with a message SID), so the real `twilio` client library runs. The first `failFirst` sends answer 500.
 */
export function fakeTwilio(options: { failFirst?: number } = {}): Promise<FakeTwilio> {
  const texts: Record<string, string>[] = [];
  let failuresLeft = options.failFirst ?? 0;
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
      if (failuresLeft > 0) {
        failuresLeft--;
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ code: 20500, message: 'Internal Server Error', status: 500 }));
        return;
      }
      texts.push(form);
      const sid = `SM${String(texts.length).padStart(32, '0')}`;
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ sid, status: 'queued', to: form.To, from: form.From, body: form.Body }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        texts,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}
