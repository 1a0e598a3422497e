import { InboundMail, headerValues } from './inbound-mail';
import { referencesInText } from './incident-reference';
import { extractMessageIds, messageIdDomain } from './normalise-message-id';

/**
 * The machine-readable parts of a report, as strings. mailparser gives them as attachments (see
 * `bounceParts` in `to-inbound-mail.ts`); any may be missing.
 */
export interface BounceParts {
  /** Body of the `message/delivery-status` part. */
  deliveryStatus?: string | null;
  /** Body of the `message/feedback-report` part (ARF). */
  feedbackReport?: string | null;
  /** The returned original: a whole `message/rfc822`, or only its headers (`text/rfc822-headers`). */
  returnedMessage?: string | null;
}

export interface BounceDetails {
  /** Lower-case addresses whose delivery failed (`Action: failed`, or no Action given). */
  failedRecipients: string[];
  /** The enhanced status code of the first failed recipient, e.g. `5.1.1`. */
  status: string | null;
  /** Normalised Message-IDs of the returned original (its own id first, then In-Reply-To, References). */
  referencedMessageIds: string[];
  /** `INC-` references found in the returned original, the bounce's subject or its notification text. */
  referencedIncidentRefs: string[];
}

export interface BounceDetailsOptions {
  /** When given, only Message-IDs in this domain (ours) are returned. */
  ourMessageIdDomain?: string;
}

/**
 * What a delivery status notification says: who failed, with what status, and which of our messages and
 * incidents it is about. Per-recipient fields come from the `message/delivery-status` part; when the
 * service parsed without `keepDeliveryStatus` mailparser appended that part to `text`, so `text` is
 * scanned as a fallback, and Exim's `X-Failed-Recipients` header last. `Action: delayed`, `delivered`,
 * `relayed` and `expanded` recipients are not failures.
 */
export function bounceDetails(
  mail: InboundMail,
  parts: BounceParts = {},
  options: BounceDetailsOptions = {},
): BounceDetails {
  const failures = failedRecipientsOf(parts.deliveryStatus ?? '');
  const fromText = failures.recipients.length > 0 ? failures : failedRecipientsOf(mail.text);
  let failedRecipients = fromText.recipients;
  if (failedRecipients.length === 0) {
    failedRecipients = unique(
      headerValues(mail, 'x-failed-recipients')
        .flatMap((v) => v.split(','))
        .map(cleanAddress)
        .filter((a): a is string => a !== null),
    );
  }

  const returned = parts.returnedMessage ?? '';
  const returnedHeaders = headerSection(returned);
  const ids = [
    ...extractMessageIds(returnedHeaders.get('message-id') ?? []),
    ...extractMessageIds(returnedHeaders.get('in-reply-to') ?? []),
    ...extractMessageIds(returnedHeaders.get('references') ?? []),
  ];
  const ourDomain = options.ourMessageIdDomain?.toLowerCase();
  const referencedMessageIds = unique(ids).filter(
    (id) => ourDomain === undefined || messageIdDomain(id) === ourDomain,
  );

  const referencedIncidentRefs = referencesInText([returned, mail.subject, mail.text].join('\n'));

  return { failedRecipients, status: fromText.status, referencedMessageIds, referencedIncidentRefs };
}

/** Groups `Name: value` fields of a delivery-status body into blocks separated by blank lines. */
function fieldBlocks(text: string): Map<string, string>[] {
  const blocks: Map<string, string>[] = [];
  let current = new Map<string, string>();
  let lastName: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (current.size > 0) blocks.push(current);
      current = new Map();
      lastName = null;
      continue;
    }
    if (/^[ \t]/.test(line) && lastName !== null) {
      current.set(lastName, `${current.get(lastName) ?? ''} ${line.trim()}`);
      continue;
    }
    const match = /^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$/.exec(line);
    if (match) {
      lastName = (match[1] ?? '').toLowerCase();
      if (!current.has(lastName)) current.set(lastName, (match[2] ?? '').trim());
    } else {
      lastName = null;
    }
  }
  if (current.size > 0) blocks.push(current);
  return blocks;
}

function failedRecipientsOf(text: string): { recipients: string[]; status: string | null } {
  const recipients: string[] = [];
  let status: string | null = null;
  for (const block of fieldBlocks(text)) {
    const original = block.get('original-recipient');
    const final = block.get('final-recipient');
    if (original === undefined && final === undefined) continue;
    const action = (block.get('action') ?? 'failed').toLowerCase().trim();
    if (!action.startsWith('failed')) continue;
    for (const raw of [original, final]) {
      const address = raw === undefined ? null : cleanAddress(raw.replace(/^[^;]*;/, ''));
      if (address !== null && !recipients.includes(address)) recipients.push(address);
    }
    const code = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(block.get('status') ?? '');
    if (status === null && code) status = code[1] ?? null;
  }
  return { recipients, status };
}

function cleanAddress(raw: string): string | null {
  const address = raw
    .trim()
    .replace(/^<(.*)>$/, '$1')
    .trim()
    .toLowerCase();
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address) ? address : null;
}

/** The header section of a raw RFC 822 message: lower-case name → unfolded values. */
function headerSection(raw: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  const end = raw.search(/\r?\n\r?\n/);
  const section = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n(?=[ \t])/g, ' ');
  for (const line of section.split(/\r?\n/)) {
    const match = /^([!-9;-~]+)\s*:\s*(.*)$/.exec(line);
    if (!match) continue;
    const name = (match[1] ?? '').toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), (match[2] ?? '').trim()]);
  }
  return headers;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
