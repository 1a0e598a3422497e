import { htmlToText } from './html-to-text';
import { InboundMail, InboundMailAddress, localPartOf } from './inbound-mail';
import { trimReply } from './trim-reply';

/** Column limits of the incident (summary varchar(200), reporter_name varchar(200)). */
const SUMMARY_MAX = 200;
const NAME_MAX = 200;
/** Descriptions and replies are cut here: the full message stays in the intake log's raw copy. */
export const BODY_MAX = 50_000;

const REPLY_PREFIX = /^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|tr|rif|r)\s*(?:\[\d+\])?\s*:\s*)+/i;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** The readable body of a mail: its text part, or its HTML converted to safe text when it has no text. */
export function readableBody(mail: Pick<InboundMail, 'text' | 'html'>): string {
  if (mail.text.trim() !== '') return mail.text;
  return mail.html ? htmlToText(mail.html) : '';
}

/** No subject, no readable text and no attachment: nothing anyone could act on (decision `empty`). */
export function isEmptyMail(mail: Pick<InboundMail, 'subject' | 'text' | 'html' | 'attachments'>): boolean {
  return mail.subject.trim() === '' && readableBody(mail).trim() === '' && mail.attachments.length === 0;
}

export interface MailBody {
  text: string;
  /** Quoted history or a signature was cut off. */
  trimmed: boolean;
  /** Longer than BODY_MAX and cut. */
  truncated: boolean;
}

/**
 * What goes on the incident: the new text of the mail with quoted history and signature trimmed (the full
 * original is kept as the raw message), bounded in length, never empty.
 */
export function incidentBody(mail: Pick<InboundMail, 'text' | 'html' | 'attachments'>): MailBody {
  const reply = trimReply(readableBody(mail).replace(/\r\n?/g, '\n'));
  let text = reply.body.trim();
  const truncated = text.length > BODY_MAX;
  if (truncated)
    text = `${text.slice(0, BODY_MAX)}\n\n[… cut here: the full email is kept in the intake log]`;
  if (text === '') {
    text =
      mail.attachments.length > 0
        ? '(The email had no text; see its attachments.)'
        : '(The email had no text.)';
  }
  return { text, trimmed: reply.trimmed, truncated };
}

/**
 * An incident summary from the subject: reply and forward prefixes and our `[INC-…]` tag removed, one line,
 * at most 200 characters; else the first line of the description; else "(no subject)".
 */
export function incidentSummary(subject: string, description: string): string {
  const line = subject
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\[\s*INC-\d{6,}\s*\]/gi, ' ')
    .replace(REPLY_PREFIX, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (line !== '') return cut(line, SUMMARY_MAX);
  const first = description
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('('));
  return first ? cut(first, SUMMARY_MAX) : '(no subject)';
}

/** The reporter's name: the From display name, else the address's local part, else "Unknown sender". */
export function reporterName(from: InboundMailAddress | null): string {
  const name = (from?.name ?? '')
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (name !== '') return cut(name, NAME_MAX);
  const local = localPartOf(from?.address ?? '').trim();
  return local !== '' ? cut(local, NAME_MAX) : 'Unknown sender';
}

const NUL = /\u0000/g;

/**
 * The mail with NUL characters removed from every text field (PostgreSQL text cannot hold them; binary
 * garbage sent as a "message" must still become a readable record, not a failure).
 */
export function withoutNulCharacters(mail: InboundMail): InboundMail {
  const clean = (s: string): string => s.replace(NUL, '');
  return {
    ...mail,
    messageId: mail.messageId === null ? null : clean(mail.messageId),
    from: mail.from === null ? null : { address: clean(mail.from.address), name: clean(mail.from.name) },
    to: mail.to.map(clean),
    cc: mail.cc.map(clean),
    subject: clean(mail.subject),
    text: clean(mail.text),
    html: mail.html === null ? null : clean(mail.html),
  };
}
