import { isNoReplyAddress } from './ack-policy';

/** What the service looked up about where a mail comes from (only active sites count). */
export interface SiteFacts {
  /** A site code written in the subject or body (`SITE 1234`), as written; null when none. */
  textCode: string | null;
  /** True when `textCode` names an active site. */
  textCodeKnown: boolean;
  /** The usual site of the sender's contact, when the contact is known and the site active. */
  contactSite: string | null;
  /** The trust the sender's mail domain belongs to, with its active sites. */
  domainTrust: { code: string; siteCodes: readonly string[] } | null;
}

export type SitePlacement =
  | { placed: true; siteCode: string; by: 'text' | 'contact' | 'domain'; reason: string }
  | { placed: false; reason: string; trustHint: string | null };

/**
 * Where an email's incident belongs. A site code the reporter wrote wins (they may be reporting for a site
 * other than their usual one); then the contact's usual site; then the sender's domain when it maps to a
 * trust with exactly one active site. Otherwise the incident needs triage (the reason says why, and names
 * the trust when the domain told us that much).
 */
export function placeMail(facts: SiteFacts): SitePlacement {
  if (facts.textCode !== null && facts.textCodeKnown) {
    return {
      placed: true,
      siteCode: facts.textCode,
      by: 'text',
      reason: `site code ${facts.textCode} in the subject or body`,
    };
  }
  const unknownCode =
    facts.textCode !== null ? `site code ${facts.textCode} in the text is not an active site; ` : '';
  if (facts.contactSite !== null) {
    return {
      placed: true,
      siteCode: facts.contactSite,
      by: 'contact',
      reason: `${unknownCode}the sender's usual site ${facts.contactSite}`,
    };
  }
  const trust = facts.domainTrust;
  if (trust !== null && trust.siteCodes.length === 1) {
    const only = trust.siteCodes[0];
    return {
      placed: true,
      siteCode: only,
      by: 'domain',
      reason: `${unknownCode}sender's domain belongs to ${trust.code}, whose only site is ${only}`,
    };
  }
  if (trust !== null) {
    return {
      placed: false,
      trustHint: trust.code,
      reason: `${unknownCode}sender's domain belongs to ${trust.code} (${trust.siteCodes.length} sites), but no site was named and the sender has no usual site`,
    };
  }
  return {
    placed: false,
    trustHint: null,
    reason: `${unknownCode}no site code, no known contact with a usual site, no trust for the sender's domain`,
  };
}

/**
 * The addresses copied on a reporter's mail (To and Cc, less the desk's own addresses, the sender and
 * no-reply addresses), lower-cased, without duplicates, at most `limit` (a mail to 500 people must not make
 * every later reply go to 500 people).
 */
export function copiedAddresses(
  to: readonly string[],
  cc: readonly string[],
  options: { deskAddresses: readonly string[]; sender: string | null; limit: number },
): { addresses: string[]; dropped: number } {
  const skip = new Set([...options.deskAddresses.map((a) => a.trim().toLowerCase()), options.sender ?? '']);
  const all: string[] = [];
  for (const raw of [...to, ...cc]) {
    const address = raw.trim().toLowerCase();
    if (
      !/^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/.test(address) ||
      address.length > 320
    )
      continue;
    if (skip.has(address) || isNoReplyAddress(address) || all.includes(address)) continue;
    all.push(address);
  }
  return { addresses: all.slice(0, options.limit), dropped: Math.max(0, all.length - options.limit) };
}
