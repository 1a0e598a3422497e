import { canonicalLocalPart, quotedPathCommand } from './smtp-path';

describe('quotedPathCommand: MAIL FROM and RCPT TO with a quoted-string local part (RFC 5321 §4.1.2)', () => {
  it.each([
    ['MAIL FROM:<"Some Name"@example.com>', '"Some Name"', 'example.com', ''],
    [
      'mail from: <"Some Name"@example.com> SIZE=100 BODY=8BITMIME',
      '"Some Name"',
      'example.com',
      'SIZE=100 BODY=8BITMIME',
    ],
    ['RCPT TO:<"a@b"@example.com>', '"a@b"', 'example.com', ''],
    ['RCPT TO:<"a\\"b"@example.com> NOTIFY=NEVER', '"a\\"b"', 'example.com', 'NOTIFY=NEVER'],
    ['RCPT TO:<"a>b"@example.com>', '"a>b"', 'example.com', ''],
    ['MAIL FROM:<@relay.example,@other.example:"x y"@example.com>', '"x y"', 'example.com', ''],
    ['MAIL FROM:<"x"@[192.0.2.1]>', '"x"', '[192.0.2.1]', ''],
  ])('%s', (line, localPart, domain, params) => {
    const verb = line.toUpperCase().startsWith('MAIL') ? 'MAIL FROM' : 'RCPT TO';
    expect(quotedPathCommand(verb, line)).toEqual({ ok: true, localPart, domain, params });
  });

  it('leaves a path without a quoted local part to smtp-server (null)', () => {
    expect(quotedPathCommand('MAIL FROM', 'MAIL FROM:<jane@example.com> SIZE=10')).toBeNull();
    expect(quotedPathCommand('MAIL FROM', 'MAIL FROM:<>')).toBeNull();
    expect(quotedPathCommand('RCPT TO', 'RCPT TO:<postmaster>')).toBeNull();
    expect(quotedPathCommand('RCPT TO', 'MAIL FROM:<"x"@example.com>')).toBeNull();
  });

  it.each([
    ['an unterminated quoted string', 'MAIL FROM:<"Some Name@example.com>'],
    ['text after the quoted string before @', 'MAIL FROM:<"a"b@example.com>'],
    ['no domain', 'MAIL FROM:<"a">'],
    ['a control character inside the quotes', 'MAIL FROM:<"a\tb"@example.com>'],
    ['no closing bracket', 'MAIL FROM:<"a"@example.com'],
    ['a bad domain', 'MAIL FROM:<"a"@-example-.com>'],
    ['text right after the path', 'MAIL FROM:<"a"@example.com>x'],
  ])('refuses %s', (_why, line) => {
    expect(quotedPathCommand('MAIL FROM', line)).toEqual({ ok: false });
  });
});

describe('canonicalLocalPart', () => {
  it.each([
    ['"servicedesk"', 'servicedesk'],
    ['"first.last"', 'first.last'],
    ['"Some Name"', '"Some Name"'],
    ['"a@b"', '"a@b"'],
    ['"a..b"', '"a..b"'],
    ['"\\d\\e\\s\\k"', 'desk'],
  ])('%s → %s', (quoted, canonical) => {
    expect(canonicalLocalPart(quoted)).toBe(canonical);
  });
});
