import { buildInboundMail } from './inbound-mail.factory';
import { parseAuthenticationResults, verifySender } from './sender-verification';

const TRUSTED = ['mx.nhs.example'];
const from = { address: 'agent@desk.nhs.example', name: 'Agent' };
const mailWith = (results: string[], extra: Record<string, string | string[]> = {}) =>
  buildInboundMail({ from, headers: { 'authentication-results': results, ...extra } });

describe('parseAuthenticationResults (RFC 8601)', () => {
  it('reads the authserv-id and each method, result and property, ignoring comments and a version', () => {
    expect(
      parseAuthenticationResults(
        'mx.nhs.example 1; dkim=pass (2048-bit key; secure) header.d=nhs.example header.i=@nhs.example;\r\n dmarc=pass (p=reject) header.from=nhs.example; spf=fail smtp.mailfrom=x@y.example',
      ),
    ).toEqual({
      authservId: 'mx.nhs.example',
      results: [
        { method: 'dkim', result: 'pass', props: { 'header.d': 'nhs.example', 'header.i': '@nhs.example' } },
        { method: 'dmarc', result: 'pass', props: { 'header.from': 'nhs.example' } },
        { method: 'spf', result: 'fail', props: { 'smtp.mailfrom': 'x@y.example' } },
      ],
    });
  });

  it('reads "none", quoted values and nested comments, and refuses a header without an authserv-id', () => {
    expect(parseAuthenticationResults('mx.nhs.example; none')).toEqual({
      authservId: 'mx.nhs.example',
      results: [],
    });
    expect(
      parseAuthenticationResults(
        '"mx.nhs.example" (a (nested) comment); dmarc=pass header.from="nhs.example"',
      ),
    ).toEqual({
      authservId: 'mx.nhs.example',
      results: [{ method: 'dmarc', result: 'pass', props: { 'header.from': 'nhs.example' } }],
    });
    // Microsoft 365 writes no authserv-id: such a header can never be a trusted relay's.
    expect(
      parseAuthenticationResults('spf=pass (sender IP is 1.2.3.4) smtp.mailfrom=nhs.example; dmarc=pass'),
    ).toBeNull();
    expect(parseAuthenticationResults('')).toBeNull();
  });
});

describe('verifySender', () => {
  it('verifies dmarc=pass from a trusted relay', () => {
    expect(
      verifySender(mailWith(['mx.nhs.example; dmarc=pass header.from=desk.nhs.example']), TRUSTED),
    ).toEqual({
      verified: true,
      reason: 'dmarc=pass by mx.nhs.example',
    });
  });

  it('verifies dkim=pass only for the From domain (header.d, or the domain of header.i)', () => {
    expect(
      verifySender(mailWith(['mx.nhs.example; dkim=pass header.d=desk.nhs.example']), TRUSTED).verified,
    ).toBe(true);
    expect(
      verifySender(mailWith(['mx.nhs.example; dkim=pass header.i=@DESK.nhs.example']), TRUSTED).verified,
    ).toBe(true);
    const other = verifySender(mailWith(['mx.nhs.example; dkim=pass header.d=mailer.example']), TRUSTED);
    expect(other).toEqual({
      verified: false,
      reason: 'mx.nhs.example vouches for neither dmarc nor dkim of desk.nhs.example',
    });
  });

  it('does not verify without a trusted relay, or on fail, or with a dmarc result for another From domain', () => {
    expect(verifySender(mailWith([]), TRUSTED)).toEqual({
      verified: false,
      reason: 'no Authentication-Results from a trusted relay (mx.nhs.example)',
    });
    expect(verifySender(mailWith(['mx.nhs.example; dmarc=pass']), []).reason).toBe(
      'no relay is trusted (INTAKE_TRUSTED_AUTHSERV_IDS is empty)',
    );
    expect(verifySender(mailWith(['evil.example; dmarc=pass']), TRUSTED).verified).toBe(false);
    expect(
      verifySender(mailWith(['mx.nhs.example; dmarc=fail header.from=desk.nhs.example']), TRUSTED).verified,
    ).toBe(false);
    expect(
      verifySender(mailWith(['mx.nhs.example; dmarc=pass header.from=other.example']), TRUSTED).verified,
    ).toBe(false);
  });

  it('a dmarc fail in the relay block vetoes a dkim pass', () => {
    const mail = mailWith([
      'mx.nhs.example; dmarc=fail',
      'mx.nhs.example; dkim=pass header.d=desk.nhs.example',
    ]);
    expect(verifySender(mail, TRUSTED).verified).toBe(false);
  });

  it('counts only the topmost trusted block: a trusted-looking header below another authserv-id is ignored', () => {
    // The sender wrote the lower one into their own message; a hop in between added its own.
    const forged = mailWith([
      'mx.nhs.example; dmarc=none',
      'relay.elsewhere.example; spf=pass',
      'mx.nhs.example; dmarc=pass header.from=desk.nhs.example',
    ]);
    expect(verifySender(forged, TRUSTED).verified).toBe(false);
    // Headers added after our relay (nearer the desk) by other ids are skipped, not trusted.
    const below = mailWith([
      'internal-scanner.example; dkim=none',
      'mx.nhs.example; dkim=pass header.d=desk.nhs.example',
      'mx.nhs.example; spf=pass smtp.mailfrom=desk.nhs.example',
    ]);
    expect(verifySender(below, TRUSTED)).toEqual({
      verified: true,
      reason: 'dkim=pass (header.d=desk.nhs.example) by mx.nhs.example',
    });
  });

  it('never verifies mail without a sender address', () => {
    const mail = buildInboundMail({
      from: null,
      headers: { 'authentication-results': 'mx.nhs.example; dmarc=pass' },
    });
    expect(verifySender(mail, TRUSTED)).toEqual({
      verified: false,
      reason: 'the mail has no sender address',
    });
  });
});
