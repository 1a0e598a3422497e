import { domainOf } from './inbound-mail';

/**
 * `SITE 1234`, `Site code: 1234`, `site 1234`, `Site #1234`, `site no. 1234`, `site number 01234`: the
 * word "site" (not inside "website"), optional "code"/"no."/"number" and punctuation, then 3–5 digits
 * not followed by another digit.
 */
const SITE_CODE = /\bsite(?:\s*code|\s*no\.?|\s*number)?\s*[:#=-]?\s*(\d{3,5})(?!\d)/i;

/** The first site code in the subject, else in the body, as written (leading zeros kept); or null. */
export function siteCodeFromText(subject: string, body: string): string | null {
  for (const text of [subject, body]) {
    const match = SITE_CODE.exec(text);
    if (match) return match[1] ?? null;
  }
  return null;
}

/**
 * The trust a sender's domain belongs to, from a map of mail domain → trust code. An exact domain wins;
 * otherwise the nearest parent domain in the map (`ward5.lancashirecare.nhs.uk` → `lancashirecare.nhs.uk`).
 * A shared domain such as `nhs.net` should simply not be in the map: it says nothing about the trust.
 */
export function trustFromDomain<TrustCode extends string>(
  senderAddress: string,
  domainMap: Readonly<Record<string, TrustCode>>,
): TrustCode | null {
  const lookup = new Map<string, TrustCode>();
  for (const [domain, trust] of Object.entries(domainMap)) {
    lookup.set(domain.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, ''), trust);
  }
  let domain = domainOf(senderAddress.trim());
  while (domain.includes('.')) {
    const trust = lookup.get(domain);
    if (trust !== undefined) return trust;
    domain = domain.slice(domain.indexOf('.') + 1);
  }
  return null;
}
