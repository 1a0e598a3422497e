import { buildInboundMail } from './inbound-mail.factory';
import {
  BODY_MAX,
  incidentBody,
  incidentSummary,
  readableBody,
  reporterName,
  withoutNulCharacters,
} from './intake-text';

describe('incident text from an email', () => {
  it('summary: drops Re:/Fwd: prefixes and our reference tag, collapses space, cuts at 200', () => {
    expect(incidentSummary('RE: Fwd:  [INC-000123]  Wi-Fi\tdown', '')).toBe('Wi-Fi down');
    expect(incidentSummary('x'.repeat(300), '')).toHaveLength(200);
  });

  it('summary: falls back to the first line of the description, then "(no subject)"', () => {
    expect(incidentSummary('', '\n  Phones dead at reception\nmore')).toBe('Phones dead at reception');
    expect(incidentSummary('  ', '(The email had no text.)')).toBe('(no subject)');
  });

  it('body: trims quoted history and keeps the new text', () => {
    const mail = buildInboundMail({
      text: 'Still broken.\n\nOn Mon, 1 Jun 2011 at 09:00, Desk <desk@x.example> wrote:\n> old text',
    });
    expect(incidentBody(mail)).toEqual({ text: 'Still broken.', trimmed: true, truncated: false });
  });

  it('body: converts HTML-only mail to text without scripts', () => {
    const mail = buildInboundMail({ text: '', html: '<p>Printer <b>down</b></p><script>alert(1)</script>' });
    expect(readableBody(mail)).toBe('Printer down');
  });

  it('body: is never empty and is bounded', () => {
    expect(incidentBody(buildInboundMail({ text: '', html: null })).text).toBe('(The email had no text.)');
    expect(
      incidentBody(
        buildInboundMail({
          text: '',
          html: null,
          attachments: [
            { filename: 'a.png', contentType: 'image/png', size: 1, contentId: null, related: false },
          ],
        }),
      ).text,
    ).toContain('attachments');
    const long = incidentBody(buildInboundMail({ text: 'word '.repeat(BODY_MAX) }));
    expect(long.truncated).toBe(true);
    expect(long.text.length).toBeLessThan(BODY_MAX + 100);
  });

  it('reporter name: display name, else local part, else "Unknown sender"', () => {
    expect(reporterName({ name: ' Dr  Jane Smith ', address: 'jane@x.example' })).toBe('Dr Jane Smith');
    expect(reporterName({ name: '', address: 'jane.smith@x.example' })).toBe('jane.smith');
    expect(reporterName(null)).toBe('Unknown sender');
  });
});

describe('withoutNulCharacters', () => {
  it('removes NUL from every text field', () => {
    const mail = withoutNulCharacters(
      buildInboundMail({
        subject: 'a\u0000b',
        text: '\u0000x',
        from: { address: 'j@x.example', name: 'J\u0000' },
      }),
    );
    expect([mail.subject, mail.text, mail.from?.name]).toEqual(['ab', 'x', 'J']);
  });
});
