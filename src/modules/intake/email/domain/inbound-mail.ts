/**
 * A plain, already-parsed view of one inbound email, built by the intake service from mailparser's
 * `ParsedMail` (see `to-inbound-mail.ts`). Every decision function in this folder takes this shape, so
 * none of them depends on mailparser, the network or the clock.
 */
export interface InboundMailAddress {
  address: string;
  name: string;
}

export interface InboundMailAttachment {
  filename: string | null;
  /** Lower-case MIME type without parameters, e.g. `message/delivery-status`. */
  contentType: string;
  size: number;
  /** Content-ID with its angle brackets, as in the header. */
  contentId: string | null;
  /** True for inline parts referenced from the HTML (`cid:` images). */
  related: boolean;
}

export interface InboundMail {
  /** Normalised (see `normaliseMessageId`), or null when missing or unusable. */
  messageId: string | null;
  /** Normalised ids from `In-Reply-To`, in header order. */
  inReplyTo: string[];
  /** Normalised ids from `References`, oldest first as in the header. */
  references: string[];
  /** The first `From:` mailbox; null when there is none. */
  from: InboundMailAddress | null;
  to: string[];
  cc: string[];
  replyTo: string[];
  /** Decoded subject; '' when missing. */
  subject: string;
  date: Date | null;
  /** Plain-text body ('' when none). */
  text: string;
  html: string | null;
  /** Lower-case header names; raw (unfolded, not decoded) values; a list when the header repeats. */
  headers: ReadonlyMap<string, string | string[]>;
  /** Root content type, lower-case, with parameters: `multipart/report; report-type=delivery-status`. */
  contentType: string;
  attachments: InboundMailAttachment[];
}

/** Every value of a header, in the order the headers appear (topmost first). */
export function headerValues(mail: Pick<InboundMail, 'headers'>, name: string): string[] {
  const value = mail.headers.get(name.toLowerCase());
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** The topmost value of a header, or null. */
export function headerValue(mail: Pick<InboundMail, 'headers'>, name: string): string | null {
  return headerValues(mail, name)[0] ?? null;
}

/** The part of an address before the last `@` ('' when there is no `@`). */
export function localPartOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(0, at);
}

/** The lower-case domain of an address, without a trailing dot ('' when there is no `@`). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0
    ? ''
    : address
        .slice(at + 1)
        .trim()
        .toLowerCase()
        .replace(/\.$/, '');
}

/** The lower-case, trimmed sender address, or null when the mail has no usable `From:`. */
export function senderAddressOf(mail: Pick<InboundMail, 'from'>): string | null {
  const address = mail.from?.address.trim().toLowerCase() ?? '';
  return address.includes('@') ? address : null;
}

/** A parameter of a content type such as `multipart/report; report-type=delivery-status`, lower-cased. */
export function contentTypeParam(contentType: string, name: string): string | null {
  const pattern = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i');
  const match = pattern.exec(contentType);
  if (!match) return null;
  return (match[1] ?? match[2] ?? '').toLowerCase();
}

/** The MIME type of a content type without its parameters, lower-cased. */
export function mimeTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}
