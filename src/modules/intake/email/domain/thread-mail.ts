import { referencesInSubject } from './incident-reference';
import { InboundMail, domainOf, senderAddressOf } from './inbound-mail';
import { messageIdDomain, normaliseMessageId } from './normalise-message-id';

/** What threading needs to know about a candidate incident (pre-fetched by the service). */
export interface ThreadIncident {
  reporterEmail: string | null;
  copiedEmails: readonly string[];
  /** Addresses of the supplier(s) the incident was escalated to. */
  supplierEmails: readonly string[];
  /** The incident status as stored, e.g. `in_progress`, `resolved`, `closed`, `cancelled`. */
  status: string;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

export interface SupplierReferencePattern {
  supplierCode: string;
  /** A RegExp source matching the supplier's own reference; its first capture group, if any, is the reference. */
  pattern: string;
  /** Mail from these domains (or their subdomains) counts as from this supplier. */
  senderDomains: readonly string[];
}

export interface ThreadContext {
  ourMessageIdDomain: string;
  /** Message-ID → incident reference, pre-fetched for the mail's In-Reply-To and References. */
  incidentsByMessageId: ReadonlyMap<string, string>;
  /** Incident reference → what threading needs; for every candidate reference. */
  incidents: ReadonlyMap<string, ThreadIncident>;
  agentEmails: ReadonlySet<string>;
  supplierPatterns: readonly SupplierReferencePattern[];
  /** `supplierReferenceKey(supplierCode, theirReference)` → incident reference. */
  incidentsBySupplierReference: ReadonlyMap<string, string>;
  /**
   * Whether the relay in front of the desk vouched for the From address (`verifySender`). Only then does an
   * agent's or a supplier's address count as that agent or supplier.
   */
  senderVerified: boolean;
}

export type ThreadDecision =
  | { kind: 'existing'; reference: string; by: 'message-id' | 'subject-reference' | 'supplier-reference' }
  | { kind: 'new'; reason: string };

/** The key of `ThreadContext.incidentsBySupplierReference`: supplier references are only unique per supplier. */
export function supplierReferenceKey(supplierCode: string, supplierReference: string): string {
  return `${supplierCode.trim().toLowerCase()}:${supplierReference.trim().toLowerCase()}`;
}

/**
 * Which incident, if any, an inbound human mail belongs to. In order:
 *
 * 1. A Message-ID in `In-Reply-To`, then in `References` (newest first), that maps to an incident — ids in
 *    our domain are tried before others (the map may also hold inbound ids the service recorded).
 * 2. An `[INC-000123]` (or bare `INC-000123`) in the subject, but only when the sender is that incident's
 *    reporter, a copied address, or (when the relay verified the sender) an agent or one of its supplier
 *    addresses. A stranger quoting a
 *    reference must not append to someone else's incident: that mail becomes a new incident, and the
 *    reason says why (unless step 3 matches).
 * 3. A supplier's own reference (per `supplierPatterns`) in the subject, then the body, of verified mail from
 *    that supplier's domains, mapped through `incidentsBySupplierReference`.
 * 4. Otherwise a new incident.
 */
export function threadMail(mail: InboundMail, ctx: ThreadContext): ThreadDecision {
  const byId = threadByMessageId(mail, ctx);
  if (byId !== null) return { kind: 'existing', reference: byId, by: 'message-id' };

  const sender = senderAddressOf(mail);
  const bySubject = threadBySubjectReference(mail.subject, sender, ctx);
  if (bySubject.kind === 'existing') return bySubject;

  const bySupplier = threadBySupplierReference(mail, sender, ctx);
  if (bySupplier !== null) return { kind: 'existing', reference: bySupplier, by: 'supplier-reference' };

  return bySubject;
}

function threadByMessageId(mail: InboundMail, ctx: ThreadContext): string | null {
  const map = new Map<string, string>();
  for (const [id, reference] of ctx.incidentsByMessageId) {
    const normalised = normaliseMessageId(id);
    if (normalised !== null) map.set(normalised, reference);
  }
  const ourDomain = ctx.ourMessageIdDomain.trim().toLowerCase();
  const candidates = [...mail.inReplyTo, ...[...mail.references].reverse()]
    .map((id) => normaliseMessageId(id))
    .filter((id): id is string => id !== null);
  const ordered = [
    ...candidates.filter((id) => messageIdDomain(id) === ourDomain),
    ...candidates.filter((id) => messageIdDomain(id) !== ourDomain),
  ];
  for (const id of ordered) {
    const reference = map.get(id);
    if (reference !== undefined) return reference;
  }
  return null;
}

function threadBySubjectReference(
  subject: string,
  sender: string | null,
  ctx: ThreadContext,
): ThreadDecision {
  const refs = referencesInSubject(subject);
  if (refs.length === 0) return { kind: 'new', reason: 'no known Message-ID or reference to thread on' };
  const known = refs.filter((ref) => ctx.incidents.has(ref));
  if (known.length === 0)
    return { kind: 'new', reason: `subject reference ${refs.join(', ')} is not a known incident` };
  let claimed = false;
  for (const ref of known) {
    const incident = ctx.incidents.get(ref);
    if (incident === undefined || sender === null) continue;
    const may = mayUseReference(sender, incident, ctx.agentEmails);
    if (may === 'party' || (may === 'desk_or_supplier' && ctx.senderVerified)) {
      return { kind: 'existing', reference: ref, by: 'subject-reference' };
    }
    claimed ||= may === 'desk_or_supplier';
  }
  return {
    kind: 'new',
    reason:
      `subject quotes ${known.join(', ')} but ` +
      (sender === null
        ? 'the mail has no sender address'
        : claimed
          ? 'the sender is not the reporter or a copied address, and its address (an agent’s or the incident’s supplier’s) is not verified by the mail relay'
          : 'the sender is not the reporter, a copied address, an agent or the incident’s supplier'),
  };
}

/** `party`: the reporter or a copied address; `desk_or_supplier`: an agent's or the incident's supplier's address. */
function mayUseReference(
  sender: string,
  incident: ThreadIncident,
  agents: ReadonlySet<string>,
): 'party' | 'desk_or_supplier' | null {
  const same = (address: string | null): boolean =>
    address !== null && address.trim().toLowerCase() === sender;
  if (same(incident.reporterEmail) || incident.copiedEmails.some(same)) return 'party';
  if (incident.supplierEmails.some(same) || [...agents].some(same)) return 'desk_or_supplier';
  return null;
}

function threadBySupplierReference(
  mail: InboundMail,
  sender: string | null,
  ctx: ThreadContext,
): string | null {
  if (!ctx.senderVerified) return null;
  for (const theirs of supplierReferencesIn(mail, sender, ctx.supplierPatterns)) {
    const reference = ctx.incidentsBySupplierReference.get(
      supplierReferenceKey(theirs.supplierCode, theirs.reference),
    );
    if (reference !== undefined) return reference;
  }
  return null;
}

/** How much of a body is searched for supplier references, and how many are taken at most. */
const REFERENCE_SCAN_CHARS = 20_000;
const MAX_SUPPLIER_REFERENCES = 20;

/**
 * The references a supplier's mail writes (subject first, then the body), by the pattern of each supplier whose
 * domains the sender's address is in (the domain or a subdomain of it; a configured `@domain` counts as `domain`).
 * The one reading of supplier references: the lookups read the escalations of these, threading matches them.
 */
export function supplierReferencesIn(
  mail: InboundMail,
  sender: string | null,
  patterns: readonly SupplierReferencePattern[],
): { supplierCode: string; reference: string }[] {
  if (sender === null) return [];
  const senderDomain = domainOf(sender);
  const found = new Map<string, { supplierCode: string; reference: string }>();
  for (const supplier of patterns) {
    const fromSupplier = supplier.senderDomains.some((d) => {
      const domain = d.trim().toLowerCase().replace(/^@/, '');
      return domain !== '' && (senderDomain === domain || senderDomain.endsWith(`.${domain}`));
    });
    if (!fromSupplier) continue;
    const pattern = compile(supplier.pattern);
    if (pattern === null) continue;
    for (const text of [mail.subject, mail.text.slice(0, REFERENCE_SCAN_CHARS)]) {
      for (const match of text.matchAll(pattern)) {
        const reference = match[1] ?? match[0];
        if (!reference) continue;
        found.set(supplierReferenceKey(supplier.supplierCode, reference), {
          supplierCode: supplier.supplierCode,
          reference,
        });
        if (found.size >= MAX_SUPPLIER_REFERENCES) return [...found.values()];
      }
    }
  }
  return [...found.values()];
}

/** A supplier pattern from configuration; an invalid one matches nothing rather than failing intake. */
function compile(source: string): RegExp | null {
  if (source.trim() === '') return null;
  try {
    return new RegExp(source, 'gi');
  } catch {
    return null;
  }
}

export type ReplyEffect = 'append' | 'reopen' | 'new_linked';

/**
 * What a reply does to the incident it threads onto: to a `resolved` incident within the reopen window
 * (inclusive; a `resolvedAt` in the future counts as within) it reopens it; after the window, or to a
 * `closed` or `cancelled` incident, it starts a new incident linked to the old one; to any other status
 * it is appended. A `resolved` incident without `resolvedAt` cannot be placed in the window and gets a
 * new linked incident (nothing is lost, and an old incident is not silently reopened).
 */
export function replyEffect(
  status: string,
  resolvedAt: Date | null,
  reopenWindowMinutes: number,
  now: Date,
): ReplyEffect {
  switch (status) {
    case 'closed':
    case 'cancelled':
      return 'new_linked';
    case 'resolved': {
      if (resolvedAt === null || Number.isNaN(resolvedAt.getTime())) return 'new_linked';
      const windowMs = Math.max(0, reopenWindowMinutes) * 60_000;
      return now.getTime() - resolvedAt.getTime() <= windowMs ? 'reopen' : 'new_linked';
    }
    default:
      return 'append';
  }
}
