import { buildInboundMail } from './inbound-mail.factory';
import {
  dedupeKey,
  extractMessageIds,
  contentFingerprint,
  legacyContentHash,
  messageIdDomain,
  normaliseMessageId,
} from './normalise-message-id';

describe('normaliseMessageId', () => {
  it.each([
    ['<ABC.Def@Mail.Example.COM>', 'ABC.Def@mail.example.com'],
    ['  <abc@example.com>  ', 'abc@example.com'],
    ['abc@EXAMPLE.com', 'abc@example.com'],
    ['<abc\r\n @example.com>', 'abc@example.com'],
    ['<"quoted@left"@example.com>', '"quoted@left"@example.com'],
    ['<INC-000123.17@RoseDesk.Local>', 'INC-000123.17@rosedesk.local'],
  ])('%j → %j', (raw, expected) => {
    expect(normaliseMessageId(raw)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    ['<>'],
    ['no-at-sign'],
    ['<@example.com>'],
    ['<abc@>'],
    ['<a@b> <c@d>'],
    ['<a@b'],
    ['a,b@c'],
  ])('%j → null', (raw) => {
    expect(normaliseMessageId(raw)).toBeNull();
  });

  it('null and undefined → null; absurd length → null', () => {
    expect(normaliseMessageId(null)).toBeNull();
    expect(normaliseMessageId(undefined)).toBeNull();
    expect(normaliseMessageId(`<${'a'.repeat(1000)}@example.com>`)).toBeNull();
  });

  it('is idempotent', () => {
    const once = normaliseMessageId('<X@Y.Z>');
    expect(normaliseMessageId(once)).toBe(once);
  });
});

describe('extractMessageIds', () => {
  it('takes bracketed ids in order, dropping comments, duplicates and garbage', () => {
    expect(extractMessageIds("<a@X.com> (Jane's message of Monday) <b@y.com>\r\n <a@x.com> <junk>")).toEqual([
      'a@x.com',
      'b@y.com',
    ]);
  });
  it('falls back to bare tokens and accepts a list', () => {
    expect(extractMessageIds(['a@x.com b@y.com', '<c@z.com>'])).toEqual(['a@x.com', 'b@y.com', 'c@z.com']);
    expect(extractMessageIds(undefined)).toEqual([]);
  });
  it('messageIdDomain', () => {
    expect(messageIdDomain('abc@RoseDesk.local')).toBe('rosedesk.local');
    expect(messageIdDomain('abc')).toBe('');
  });
});

describe('dedupeKey', () => {
  it('uses the normalised Message-ID when there is one, with the content fingerprint beside it', () => {
    const mail = buildInboundMail({ messageId: '<Abc@EXAMPLE.com>' });
    expect(dedupeKey(mail)).toEqual({
      kind: 'message-id',
      key: 'Abc@example.com',
      fingerprint: contentFingerprint(mail),
      legacyKey: 'Abc@example.com',
    });
  });

  it('gives two different messages with one Message-ID one key but two fingerprints', () => {
    const a = dedupeKey(buildInboundMail({ messageId: '<same@example.com>', subject: 'Printer jammed' }));
    const b = dedupeKey(buildInboundMail({ messageId: '<same@example.com>', subject: 'Wi-Fi down' }));
    expect(a.key).toBe(b.key);
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });

  it('the fingerprint ignores trace headers (Received, Delivered-To, Return-Path) added on the way', () => {
    const direct = buildInboundMail({ messageId: '<x@example.com>' });
    const relayed = buildInboundMail({
      messageId: '<x@example.com>',
      headers: {
        received: ['from a by b', 'from c by d'],
        'delivered-to': 'desk@example',
        'return-path': '<x@example.com>',
      },
    });
    expect(dedupeKey(relayed)).toEqual(dedupeKey(direct));
  });

  it('the fingerprint ignores line endings and trailing white space (SMTP ends the data with a line break)', () => {
    const base = buildInboundMail({ text: 'No dial tone.\n\nJane' });
    const sent = buildInboundMail({ text: 'No dial tone.  \r\n\r\nJane\r\n\r\n' });
    expect(contentFingerprint(sent)).toBe(contentFingerprint(base));
    expect(contentFingerprint(buildInboundMail({ text: 'No dial tone.\nJane' }))).not.toBe(
      contentFingerprint(base),
    );
  });

  it('keeps the pre-fingerprint content hash as the legacy key of mail without a Message-ID', () => {
    const mail = buildInboundMail({ messageId: null, text: 'body\n' });
    expect(dedupeKey(mail).legacyKey).toBe(legacyContentHash(mail));
    expect(legacyContentHash(mail)).not.toBe(contentFingerprint(mail));
  });

  it('falls back to a stable sha256 content hash', () => {
    const mail = buildInboundMail({ messageId: null });
    const key = dedupeKey(mail);
    expect(key.kind).toBe('hash');
    expect(key.key).toMatch(/^[0-9a-f]{64}$/);
    expect(dedupeKey(buildInboundMail({ messageId: 'garbage' }))).toEqual(key);
    expect(contentFingerprint(buildInboundMail({ messageId: null }))).toBe(key.key);
    expect(key.fingerprint).toBe(key.key);
    expect(key.legacyKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the hash ignores sender case but not content', () => {
    const base = buildInboundMail({ messageId: null });
    const upper = buildInboundMail({
      messageId: null,
      from: { address: 'JANE.SMITH@example.nhs.uk', name: 'x' },
    });
    expect(contentFingerprint(upper)).toBe(contentFingerprint(base));
    for (const changed of [
      buildInboundMail({ messageId: null, subject: 'other' }),
      buildInboundMail({ messageId: null, text: 'other' }),
      buildInboundMail({ messageId: null, date: new Date('2011-06-01T09:00:01Z') }),
      buildInboundMail({ messageId: null, date: null }),
      buildInboundMail({ messageId: null, from: null }),
      buildInboundMail({
        messageId: null,
        attachments: [
          { filename: 'a.png', contentType: 'image/png', size: 10, contentId: null, related: false },
        ],
      }),
    ]) {
      expect(contentFingerprint(changed)).not.toBe(contentFingerprint(base));
    }
  });

  it('moving text between subject and body changes the hash', () => {
    const a = buildInboundMail({ messageId: null, subject: 'ab', text: 'c' });
    const b = buildInboundMail({ messageId: null, subject: 'a', text: 'bc' });
    expect(contentFingerprint(a)).not.toBe(contentFingerprint(b));
  });
});
