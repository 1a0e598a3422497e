import { createHash } from 'node:crypto';

import { InboundMail } from './inbound-mail';

/** RFC 5322 limits a line to 998 characters; anything longer is not a real Message-ID. */
const MAX_MESSAGE_ID_LENGTH = 998;

/**
 * Normalises one Message-ID: strips the angle brackets and any whitespace (folded ids), lower-cases the
 * domain part only (the local part is case-sensitive by RFC 5322), and returns null for an empty value
 * or garbage (no `@`, an empty side, brackets or commas left inside, or absurd length).
 */
export function normaliseMessageId(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  let id = raw.replace(/\s+/g, '');
  const bracketed = /^<([^<>]*)>$/.exec(id);
  if (bracketed) id = bracketed[1] ?? '';
  if (id.length === 0 || id.length > MAX_MESSAGE_ID_LENGTH) return null;
  if (/[<>,;]/.test(id)) return null;
  const at = id.lastIndexOf('@');
  if (at <= 0 || at === id.length - 1) return null;
  const left = id.slice(0, at);
  const right = id.slice(at + 1).toLowerCase();
  return `${left}@${right}`;
}

/**
 * The Message-IDs in a raw `In-Reply-To` or `References` value, normalised, duplicates removed, in
 * header order. Bracketed ids are taken first (comments and phrases around them are ignored, as
 * some old clients write `In-Reply-To: <id> (Name's message of ...)`); when there are no brackets at
 * all, whitespace-separated tokens are tried.
 */
export function extractMessageIds(raw: string | readonly string[] | null | undefined): string[] {
  if (raw === null || raw === undefined) return [];
  const values = typeof raw === 'string' ? [raw] : raw;
  const ids: string[] = [];
  for (const value of values) {
    const bracketed = value.match(/<[^<>]*>/g);
    const candidates = bracketed ?? value.split(/[\s,]+/);
    for (const candidate of candidates) {
      const id = normaliseMessageId(candidate);
      if (id !== null && !ids.includes(id)) ids.push(id);
    }
  }
  return ids;
}

/** The lower-case domain of a normalised Message-ID ('' if none). */
export function messageIdDomain(id: string): string {
  const at = id.lastIndexOf('@');
  return at < 0 ? '' : id.slice(at + 1).toLowerCase();
}

/**
 * A fingerprint of what does not change in transit: the lower-case sender address, the Date header as ISO
 * (or ''), the subject and the text body, and additionally the HTML body and each attachment's type, size and
 * name (without those, two different attachment-only messages from one sender with no Date would collide).
 * Trace headers added on the way (Received, Delivered-To, Return-Path, X-Original-To…), the transfer encoding,
 * line endings and trailing white space (SMTP ends the data with a line break, an IMAP APPEND may not) are not
 * part of it, so the copy that comes by SMTP and the one that comes by IMAP agree.
 */
export function contentFingerprint(mail: InboundMail): string {
  const settled = (text: string): string =>
    text
      .replace(/\r\n?/g, '\n')
      .replace(/[ \t]+$/gm, '')
      .trimEnd();
  return hashFields([
    mail.from?.address.trim().toLowerCase() ?? '',
    mail.date !== null && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : '',
    mail.subject.trim(),
    settled(mail.text),
    settled(mail.html ?? ''),
    ...mail.attachments.map((a) => `${a.contentType}|${a.size}|${a.filename ?? ''}`),
  ]);
}

/**
 * The content hash that keyed mail without a Message-ID before fingerprints existed (text taken as parsed).
 * Only read to find rows stored then: they keep deduplicating against their copies.
 */
export function legacyContentHash(mail: InboundMail): string {
  return hashFields([
    mail.from?.address.trim().toLowerCase() ?? '',
    mail.date !== null && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : '',
    mail.subject,
    mail.text,
    mail.html ?? '',
    ...mail.attachments.map((a) => `${a.contentType}|${a.size}|${a.filename ?? ''}`),
  ]);
}

function hashFields(fields: readonly string[]): string {
  const hash = createHash('sha256');
  for (const field of fields) {
    // Length-prefixed so that moving text between fields cannot produce the same input.
    hash.update(`${Buffer.byteLength(field, 'utf8')}:`);
    hash.update(field, 'utf8');
  }
  return hash.digest('hex');
}

/**
 * `key`: the Message-ID, or the fingerprint when there is none; a copy of a message matches both. `legacyKey`:
 * the key a row stored before fingerprints existed would have (and no fingerprint), which holds it too.
 */
export interface DedupeKey {
  kind: 'message-id' | 'hash';
  key: string;
  fingerprint: string;
  legacyKey: string;
}

/**
 * The idempotency key for one inbound mail: its Message-ID when usable, else the content fingerprint; and the
 * fingerprint itself. Two deliveries are one message when both agree, so broken mailers that reuse a Message-ID
 * for different messages do not lose the second one.
 */
export function dedupeKey(mail: InboundMail): DedupeKey {
  const fingerprint = contentFingerprint(mail);
  const id = normaliseMessageId(mail.messageId);
  if (id !== null) return { kind: 'message-id', key: id, fingerprint, legacyKey: id };
  return { kind: 'hash', key: fingerprint, fingerprint, legacyKey: legacyContentHash(mail) };
}
