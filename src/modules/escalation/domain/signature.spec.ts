import { createHmac } from 'node:crypto';
import { bodyHash, checkSignature, signatureOf, signedHeaders } from './signature';

const now = new Date('2026-12-06T10:00:00Z');
const ts = String(now.getTime() / 1000);

describe('supplier signatures', () => {
  it('signs "<timestamp>.<raw body>" with HMAC-SHA256 as sha256=<hex>', () => {
    const expected = createHmac('sha256', 'secret').update(`${ts}.{"a":1}`).digest('hex');
    expect(signatureOf('secret', ts, '{"a":1}')).toBe(`sha256=${expected}`);
    expect(signedHeaders('secret', '{"a":1}', 'key-1', now)).toEqual({
      'X-RoseDesk-Timestamp': ts,
      'X-RoseDesk-Signature': `sha256=${expected}`,
      'Idempotency-Key': 'key-1',
    });
  });

  it('accepts a good signature and refuses a missing, bad, malformed or stale one', () => {
    const sig = signatureOf('secret', ts, 'body');
    expect(checkSignature('secret', ts, sig, 'body', now)).toEqual({ ok: true });
    expect(checkSignature('secret', undefined, sig, 'body', now)).toEqual({ ok: false, reason: 'missing' });
    expect(checkSignature('secret', ts, undefined, 'body', now)).toEqual({ ok: false, reason: 'missing' });
    expect(checkSignature('other', ts, sig, 'body', now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(checkSignature('secret', ts, sig, 'body!', now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(checkSignature('secret', '12abc', sig, 'body', now)).toEqual({
      ok: false,
      reason: 'malformed_timestamp',
    });
    const late = new Date(now.getTime() + 301_000);
    expect(checkSignature('secret', ts, sig, 'body', late)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(checkSignature('secret', ts, sig, 'body', new Date(now.getTime() + 300_000))).toEqual({
      ok: true,
    });
  });

  it('hashes bodies for idempotency keys', () => {
    expect(bodyHash('a')).toBe(bodyHash(Buffer.from('a')));
    expect(bodyHash('a')).not.toBe(bodyHash('b'));
  });
});
