import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSignature, signedHeaders } from '../../src/modules/escalation/domain/signature';

/** How the supplier's endpoint answers one delivery (the nth, from 1). */
export type SupplierBehaviour =
  | { kind: 'ok'; reference?: (n: number) => string | null; delayMs?: number }
  /** 500 for the first `times` deliveries, then 200 with a reference. */
  | { kind: 'fail-then-ok'; times: number }
  /** Never answers (until the server closes). */
  | { kind: 'hang' };

export interface ReceivedDelivery {
  at: number;
  key: string;
  body: Record<string, unknown>;
  /** The signature checked with the shared secret, as the supplier would. */
  signatureValid: boolean;
}

export interface FakeSupplier {
  url: string;
  secret: string;
  received: ReceivedDelivery[];
  close(): Promise<void>;
}

/**
 * A supplier's ticketing endpoint speaking the escalation protocol: it checks the RoseDesk signature with the
 * shared secret, records every delivery with its Idempotency-Key, and answers as `behaviour` says.
 */
export async function fakeSupplier(
  behaviour: SupplierBehaviour,
  secret = 'supplier-shared-secret-0123',
): Promise<FakeSupplier> {
  const received: ReceivedDelivery[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const header = (n: string): string | undefined =>
        typeof req.headers[n] === 'string' ? req.headers[n] : undefined;
      const signatureValid = checkSignature(
        secret,
        header('x-rosedesk-timestamp'),
        header('x-rosedesk-signature'),
        raw,
        new Date(),
      ).ok;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        body = {};
      }
      received.push({ at: Date.now(), key: header('idempotency-key') ?? '', body, signatureValid });
      const n = received.length;
      const answer = (status: number, json: object | null): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(json ? JSON.stringify(json) : '');
      };
      switch (behaviour.kind) {
        case 'ok': {
          const reference = behaviour.reference
            ? behaviour.reference(n)
            : `SUP-${String(n).padStart(6, '0')}`;
          const send = (): void => answer(200, reference === null ? { received: true } : { reference });
          if (behaviour.delayMs) setTimeout(send, behaviour.delayMs);
          else send();
          return;
        }
        case 'fail-then-ok':
          if (n <= behaviour.times) answer(500, { error: 'temporarily unavailable' });
          else answer(200, { reference: `SUP-${String(n).padStart(6, '0')}` });
          return;
        case 'hang':
          open.add(res);
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/rosedesk`,
    secret,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL where nothing listens (a supplier that is down): a port taken, then freed. */
export async function downSupplierUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/rosedesk`;
}

/** The headers a supplier signs its update with. */
export function supplierSignature(
  secret: string,
  body: string,
  key: string,
  at: Date = new Date(),
): Record<string, string> {
  return signedHeaders(secret, body, key, at);
}
