import { domainOf, headerValues, senderAddressOf, type InboundMail } from './inbound-mail';

/** One method's verdict in an Authentication-Results header, e.g. `dkim=pass header.d=nhs.example`. */
export interface AuthResult {
  method: string;
  result: string;
  /** `ptype.property` → value, e.g. `header.d` → `nhs.example` (lower-cased names). */
  props: Record<string, string>;
}

export interface AuthenticationResults {
  authservId: string;
  results: AuthResult[];
}

export interface SenderVerification {
  verified: boolean;
  /** For the intake log: which relay vouched and how, or why nothing did. */
  reason: string;
}

/**
 * Reads one Authentication-Results value (RFC 8601 §2.2): `authserv-id [version] ; method=result [reason=…]
 * [ptype.property=value …] ; …`, or `authserv-id ; none`. Comments (nested) are dropped and quoted strings
 * unquoted. Null when the value has no authserv-id (Microsoft 365 starts with `spf=pass …`) or cannot be read.
 * No npm package parses these on their own, hence this small reader.
 */
export function parseAuthenticationResults(value: string): AuthenticationResults | null {
  const segments = splitOutsideQuotes(withoutComments(value), ';');
  if (segments === null) return null;
  const head = words(segments[0] ?? '');
  const id = head?.[0];
  if (!head || id === undefined || head.length > 2 || !/^[A-Za-z0-9._-]+$/.test(id)) return null;
  if (head.length === 2 && !/^\d+$/.test(head[1] ?? '')) return null;
  const results: AuthResult[] = [];
  for (const segment of segments.slice(1)) {
    const items = words(segment.replace(/\s*([=/.])\s*/g, '$1'));
    if (!items || items.length === 0) continue;
    if (items.length === 1 && items[0]?.toLowerCase() === 'none') continue;
    const spec = /^([A-Za-z0-9_-]+)(?:\/\d+)?=([A-Za-z0-9_-]+)$/.exec(items[0] ?? '');
    if (!spec) return null;
    const props: Record<string, string> = {};
    for (const item of items.slice(1)) {
      const prop = /^([A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+)=(.*)$/.exec(item);
      if (prop) props[(prop[1] ?? '').toLowerCase()] = prop[2] ?? '';
    }
    results.push({ method: (spec[1] ?? '').toLowerCase(), result: (spec[2] ?? '').toLowerCase(), props });
  }
  return { authservId: id.toLowerCase(), results };
}

/**
 * Does the relay in front of the desk vouch for the From address? Only Authentication-Results headers whose
 * authserv-id is trusted count, and of those only the topmost block (RFC 8601 §5, §7): headers of other ids
 * above it (added nearer the desk) are skipped, and the block ends at the first header of another id, since
 * anything below that was already in the message when some other server handled it. The sender is verified by
 * `dmarc=pass` (for the From domain, when the header names one) or by `dkim=pass` whose `header.d`, or the
 * domain of `header.i`, is the From domain; a `dmarc` result other than pass in the block vetoes either.
 */
export function verifySender(
  mail: Pick<InboundMail, 'from' | 'headers'>,
  trustedIds: readonly string[],
): SenderVerification {
  const sender = senderAddressOf(mail);
  if (sender === null) return { verified: false, reason: 'the mail has no sender address' };
  if (trustedIds.length === 0) {
    return { verified: false, reason: 'no relay is trusted (INTAKE_TRUSTED_AUTHSERV_IDS is empty)' };
  }
  const trusted = new Set(trustedIds.map((id) => id.toLowerCase()));
  const block: AuthenticationResults[] = [];
  for (const value of headerValues(mail, 'authentication-results')) {
    const parsed = parseAuthenticationResults(value);
    const ours = parsed !== null && trusted.has(parsed.authservId);
    if (ours) block.push(parsed);
    else if (block.length > 0) break;
  }
  if (block.length === 0) {
    return {
      verified: false,
      reason: `no Authentication-Results from a trusted relay (${trustedIds.join(', ')})`,
    };
  }
  const relay = block[0]?.authservId ?? '';
  const fromDomain = domainOf(sender);
  const all = block.flatMap((b) => b.results);
  const dmarc = all.filter((r) => r.method === 'dmarc');
  if (dmarc.some((r) => r.result !== 'pass')) {
    return { verified: false, reason: `dmarc=${dmarc.find((r) => r.result !== 'pass')?.result} by ${relay}` };
  }
  const forFrom = (r: AuthResult): boolean =>
    r.props['header.from'] === undefined || r.props['header.from'].toLowerCase() === fromDomain;
  if (dmarc.some(forFrom)) return { verified: true, reason: `dmarc=pass by ${relay}` };
  const dkim = all.find(
    (r) =>
      r.method === 'dkim' &&
      r.result === 'pass' &&
      (r.props['header.d']?.toLowerCase() === fromDomain ||
        domainOf(r.props['header.i'] ?? '') === fromDomain),
  );
  if (dkim) return { verified: true, reason: `dkim=pass (header.d=${fromDomain}) by ${relay}` };
  return { verified: false, reason: `${relay} vouches for neither dmarc nor dkim of ${fromDomain}` };
}

/** The value with every comment (they nest, and may hold escapes) turned into a space; quoted strings kept. */
function withoutComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] ?? '';
    if (c === '\\') {
      if (depth === 0) out += c + (value[i + 1] ?? '');
      i++;
    } else if (quoted) {
      out += c;
      if (c === '"') quoted = false;
    } else if (c === '(') {
      depth++;
    } else if (c === ')' && depth > 0) {
      depth--;
      if (depth === 0) out += ' ';
    } else if (depth === 0) {
      if (c === '"') quoted = true;
      out += c;
    }
  }
  return out;
}

/** Splits on `separator` outside quoted strings; null when a quote is left open. */
function splitOutsideQuotes(value: string, separator: string): string[] | null {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] ?? '';
    if (c === '\\' && quoted) {
      current += c + (value[i + 1] ?? '');
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === separator && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  if (quoted) return null;
  parts.push(current);
  return parts;
}

/** White-space separated words, quoted strings unquoted; null when a quote is left open. */
function words(value: string): string[] | null {
  const parts = splitOutsideQuotes(value.replace(/\s+/g, ' ').trim(), ' ');
  if (parts === null) return null;
  return parts
    .filter((p) => p !== '')
    .map((p) => p.replace(/"((?:[^"\\]|\\.)*)"/g, (_m, inner: string) => inner.replace(/\\(.)/g, '$1')));
}
