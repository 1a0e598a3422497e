import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature both directions use: `X-RoseDesk-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`
 * with the supplier's secret, `X-RoseDesk-Timestamp` in Unix seconds. Pure (node:crypto only; now is an argument).
 */
export const TIMESTAMP_HEADER = 'x-rosedesk-timestamp';
export const SIGNATURE_HEADER = 'x-rosedesk-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** A signed request more than this far from our clock is refused (replays of old captures). */
export const MAX_SKEW_SECONDS = 300;

export function signatureOf(secret: string, timestamp: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** The three headers of a signed request at `now`. */
export function signedHeaders(
  secret: string,
  body: string,
  idempotencyKey: string,
  now: Date,
): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    'X-RoseDesk-Timestamp': timestamp,
    'X-RoseDesk-Signature': signatureOf(secret, timestamp, body),
    'Idempotency-Key': idempotencyKey,
  };
}

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'malformed_timestamp' | 'stale_timestamp' | 'bad_signature' };

/** Checks a signed request: the headers are there, the timestamp is within MAX_SKEW_SECONDS of now, the HMAC matches. */
export function checkSignature(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  body: Buffer | string,
  now: Date,
): SignatureCheck {
  if (!timestamp || !signature) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed_timestamp' };
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS)
    return { ok: false, reason: 'stale_timestamp' };
  const expected = Buffer.from(signatureOf(secret, timestamp, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}

/** SHA-256 (hex) of a body: what an idempotency key is remembered with. */
export function bodyHash(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}
