import { buildInboundMail } from './inbound-mail.factory';
import {
  dedupeKey,
  extractMessageIds,
  fallbackDedupeKey,
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
  it('uses the normalised Message-ID when there is one', () => {
    expect(dedupeKey(buildInboundMail({ messageId: '<Abc@EXAMPLE.com>' }))).toEqual({
      kind: 'message-id',
      key: 'Abc@example.com',
    });
  });

  it('falls back to a stable sha256 content hash', () => {
    const mail = buildInboundMail({ messageId: null });
    const key = dedupeKey(mail);
    expect(key.kind).toBe('hash');
    expect(key.key).toMatch(/^[0-9a-f]{64}$/);
    expect(dedupeKey(buildInboundMail({ messageId: 'garbage' }))).toEqual(key);
    expect(fallbackDedupeKey(buildInboundMail({ messageId: null }))).toBe(key.key);
  });

  it('the hash ignores sender case but not content', () => {
    const base = buildInboundMail({ messageId: null });
    const upper = buildInboundMail({
      messageId: null,
      from: { address: 'JANE.SMITH@example.nhs.uk', name: 'x' },
    });
    expect(fallbackDedupeKey(upper)).toBe(fallbackDedupeKey(base));
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
      expect(fallbackDedupeKey(changed)).not.toBe(fallbackDedupeKey(base));
    }
  });

  it('moving text between subject and body changes the hash', () => {
    const a = buildInboundMail({ messageId: null, subject: 'ab', text: 'c' });
    const b = buildInboundMail({ messageId: null, subject: 'a', text: 'bc' });
    expect(fallbackDedupeKey(a)).not.toBe(fallbackDedupeKey(b));
  });
});
