import type {
  AddressObject,
  Attachment,
  EmailAddress,
  HeaderValue,
  ParsedMail,
  SimpleParserOptions,
  StructuredHeader,
} from 'mailparser';

import type { BounceParts } from './bounce-details';
import { InboundMail, InboundMailAddress, InboundMailAttachment } from './inbound-mail';
import { extractMessageIds, normaliseMessageId } from './normalise-message-id';

/**
 * Options the intake service should pass to `simpleParser`. `keepDeliveryStatus` makes mailparser keep a
 * DSN's `message/delivery-status` part as an attachment instead of appending it to `text`, so
 * `bounceParts` can hand it to `bounceDetails` (which still falls back to scanning `text`).
 */
export const INTAKE_PARSER_OPTIONS: SimpleParserOptions = { keepDeliveryStatus: true };

/** The most of a returned original we keep for reference scanning (its headers are what matter). */
const MAX_RETURNED_MESSAGE_CHARS = 256 * 1024;

/** Maps mailparser's `ParsedMail` to the plain `InboundMail` view. Pure: no I/O, no clock. */
export function toInboundMail(parsed: ParsedMail): InboundMail {
  const from = mailboxesOf(parsed.from)[0] ?? null;
  return {
    messageId: normaliseMessageId(parsed.messageId),
    inReplyTo: extractMessageIds(parsed.inReplyTo),
    references: extractMessageIds(parsed.references),
    from,
    to: addressesOf(parsed.to),
    cc: addressesOf(parsed.cc),
    replyTo: addressesOf(parsed.replyTo),
    subject: parsed.subject ?? '',
    date: parsed.date !== undefined && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    headers: rawHeaders(parsed.headerLines),
    contentType: rootContentType(parsed.headers.get('content-type')),
    attachments: parsed.attachments.map(toAttachment),
  };
}

/**
 * The machine-readable parts of a `multipart/report` (DSN or ARF) as strings, for `bounceDetails`.
 * mailparser exposes them as attachments: `message/delivery-status` (only with
 * `keepDeliveryStatus: true`), `message/feedback-report`, and the returned original as `message/rfc822`
 * (or just its headers as `text/rfc822-headers`, as Exchange and Postfix `headers` mode send).
 */
export function bounceParts(parsed: ParsedMail): BounceParts {
  const find = (...types: string[]): Attachment | undefined =>
    parsed.attachments.find((a) => types.includes(a.contentType.toLowerCase()));
  const deliveryStatus = find('message/delivery-status', 'message/global-delivery-status');
  const feedbackReport = find('message/feedback-report');
  const returned = find('message/rfc822', 'message/global', 'text/rfc822-headers', 'message/rfc822-headers');
  return {
    deliveryStatus: deliveryStatus ? deliveryStatus.content.toString('utf8') : null,
    feedbackReport: feedbackReport ? feedbackReport.content.toString('utf8') : null,
    returnedMessage: returned
      ? returned.content.subarray(0, MAX_RETURNED_MESSAGE_CHARS).toString('utf8')
      : null,
  };
}

function flattenMailboxes(addresses: readonly EmailAddress[]): EmailAddress[] {
  return addresses.flatMap((a) => (a.group ? flattenMailboxes(a.group) : [a]));
}

function mailboxesOf(value: AddressObject | AddressObject[] | undefined): InboundMailAddress[] {
  if (value === undefined) return [];
  const objects = Array.isArray(value) ? value : [value];
  return flattenMailboxes(objects.flatMap((o) => o.value))
    .map((a) => ({ address: (a.address ?? '').trim(), name: a.name.trim() }))
    .filter((a) => a.address.length > 0);
}

function addressesOf(value: AddressObject | AddressObject[] | undefined): string[] {
  return mailboxesOf(value).map((a) => a.address);
}

/** Header lines → lower-case name → unfolded raw value(s), topmost first. */
function rawHeaders(lines: ParsedMail['headerLines']): ReadonlyMap<string, string | string[]> {
  const headers = new Map<string, string | string[]>();
  for (const { key, line } of lines) {
    const name = key.toLowerCase();
    const colon = line.indexOf(':');
    const value = (colon < 0 ? '' : line.slice(colon + 1)).replace(/\r?\n(?=[ \t])/g, '').trim();
    const existing = headers.get(name);
    if (existing === undefined) headers.set(name, value);
    else headers.set(name, typeof existing === 'string' ? [existing, value] : [...existing, value]);
  }
  return headers;
}

/** `multipart/report; report-type=delivery-status` from mailparser's structured header (boundary dropped). */
function rootContentType(header: HeaderValue | undefined): string {
  if (typeof header === 'string') return header.trim().toLowerCase() || 'text/plain';
  if (!isStructuredHeader(header)) return 'text/plain';
  const params = Object.entries(header.params)
    .filter(([name]) => name.toLowerCase() !== 'boundary')
    .map(([name, value]) => {
      const v = value.toLowerCase();
      return `${name.toLowerCase()}=${/^[^\s;"()<>@,:\\/[\]?=]+$/.test(v) ? v : JSON.stringify(v)}`;
    });
  return [header.value.toLowerCase(), ...params].join('; ');
}

function isStructuredHeader(value: HeaderValue | undefined): value is StructuredHeader {
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return false;
  return 'params' in value && typeof value.value === 'string' && typeof value.params === 'object';
}

function toAttachment(a: Attachment): InboundMailAttachment {
  return {
    filename: a.filename ?? null,
    contentType: a.contentType.toLowerCase(),
    size: a.size,
    contentId: a.contentId ?? null,
    related: a.related === true,
  };
}
