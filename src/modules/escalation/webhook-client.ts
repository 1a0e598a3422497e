import { signedHeaders } from './domain/signature';

export type WebhookResult =
  { ok: true; status: number; supplierReference: string | null } | { ok: false; reason: string };

/** The longest answer read from a supplier (enough for `{"reference": ...}` and some). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One signed POST to a supplier's endpoint: JSON body, X-RoseDesk-Timestamp, X-RoseDesk-Signature, Idempotency-Key.
 * A 2xx is delivered; its JSON `reference` (a string of at most 100 characters) is the supplier's reference.
 * Anything else (other status, network error, no answer within `timeoutMs`) is a failure with a short reason that
 * names no body.
 */
export async function postSigned(
  url: string,
  secret: string,
  body: string,
  idempotencyKey: string,
  now: Date,
  timeoutMs: number,
): Promise<WebhookResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'RoseDesk-Escalation/1',
        ...signedHeaders(secret, body, idempotencyKey, now),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    // AbortSignal.timeout rejects with a DOMException, not an Error in every realm: read the fields as they are.
    const { name, cause } = err as { name?: unknown; cause?: { code?: unknown } };
    const code = typeof cause?.code === 'string' ? cause.code : typeof name === 'string' ? name : 'Error';
    return {
      ok: false,
      reason: name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network: ${code}`,
    };
  }
  const text = await readCapped(res);
  if (res.status < 200 || res.status > 299) return { ok: false, reason: `HTTP ${res.status}` };
  return { ok: true, status: res.status, supplierReference: referenceIn(text) };
}

async function readCapped(res: Response): Promise<string> {
  try {
    const text = await res.text();
    return text.length > MAX_ANSWER_BYTES ? '' : text;
  } catch {
    return '';
  }
}

function referenceIn(text: string): string | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && 'reference' in parsed) {
      const ref = parsed.reference;
      if (typeof ref === 'string' && ref.trim() !== '' && ref.length <= 100) return ref.trim();
    }
  } catch {
    // Not JSON: delivered, without a reference.
  }
  return null;
}
