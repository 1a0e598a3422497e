import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTemplateDir } from '../../common/templates/handlebars';
import {
  MailTemplates,
  type IncidentAcknowledgementContext,
  type IncidentReplyContext,
} from './mail-templates';

const ack: IncidentAcknowledgementContext = {
  reference: 'INC-000123',
  reporterName: 'Dr <b>Evil</b> & Co',
  summary: 'Wi-Fi down <script>alert(1)</script>',
  siteName: 'Fulwood "Clinic"',
  siteCode: '1234',
  serviceName: 'Wireless',
  priority: 'P2',
  statusUrl: 'https://desk.example.test/status/abc?x=1&y=2',
};

describe('MailTemplates (the real templates/email)', () => {
  const templates = new MailTemplates();

  it('finds the installed templates', () => {
    expect(templates.directory).toBe(findTemplateDir('email'));
    expect(templates.names).toEqual(expect.arrayContaining(['incident-acknowledgement', 'incident-reply']));
  });

  it('escapes user values in the HTML part and leaves the text part readable', () => {
    const { html, text } = templates.render(
      'incident-acknowledgement',
      { ...ack },
      '[INC-000123] We have logged your fault',
    );
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Dr &lt;b&gt;Evil&lt;/b&gt; &amp; Co');
    expect(html).toContain('href="https://desk.example.test/status/abc?x&#x3D;1&amp;y&#x3D;2"');
    expect(html).toContain('<title>[INC-000123] We have logged your fault</title>');
    expect(html).toMatch(/What happens next/);
    expect(html).toContain('<strong>[INC-000123]</strong> in the subject');
    expect(text).toContain('YOUR REFERENCE: INC-000123');
    expect(text).toContain('Summary:  Wi-Fi down <script>alert(1)</script>');
    expect(text).toContain('Site:     Fulwood "Clinic" (site code 1234)');
    expect(text).toContain('https://desk.example.test/status/abc?x=1&y=2');
    expect(text).toContain('keep [INC-000123] in the subject');
    expect(text).not.toContain('&amp;');
  });

  it('drops a status link that is not http(s)', () => {
    const { html, text } = templates.render(
      'incident-acknowledgement',
      { ...ack, statusUrl: 'javascript:alert(1)' },
      's',
    );
    expect(html).not.toContain('javascript:');
    expect(text).not.toContain('javascript:');
  });

  it('keeps the line breaks of a reply, escaped, in the HTML part', () => {
    const reply: IncidentReplyContext = {
      reference: 'INC-000123',
      summary: 'Wi-Fi down',
      body: 'Hello,\r\nplease restart the <b>access point</b>.\n\nThanks',
      author: 'Sam Agent',
      statusUrl: 'https://desk.example.test/status/abc',
    };
    const { html, text } = templates.render('incident-reply', { ...reply }, 'Re: [INC-000123] Wi-Fi down');
    expect(html).toContain(
      'Hello,<br>\nplease restart the &lt;b&gt;access point&lt;/b&gt;.<br>\n<br>\nThanks',
    );
    expect(text).toContain('Hello,\r\nplease restart the <b>access point</b>.\n\nThanks');
    expect(text).toContain(
      'Sam Agent from the service desk has replied about your incident INC-000123 (Wi-Fi down):',
    );
  });

  it('refuses an unknown template', () => {
    expect(templates.has('nope')).toBe(false);
    expect(() => templates.render('nope', {}, 's')).toThrow('Unknown email template "nope"');
  });
});

describe('MailTemplates (a directory of its own)', () => {
  it('refuses a template without its text part at start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rosedesk-tpl-'));
    writeFileSync(join(dir, 'lonely.html.hbs'), '<p>{{x}}</p>');
    expect(() => new MailTemplates(dir)).toThrow('has an HTML part but no lonely.text.hbs');
  });

  it('renders with partials from partials/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rosedesk-tpl-'));
    mkdirSync(join(dir, 'partials'));
    writeFileSync(join(dir, 'partials', 'frame.html.hbs'), '<main>{{> @partial-block }}</main>');
    writeFileSync(join(dir, 'partials', 'sig.text.hbs'), '-- \nDesk');
    writeFileSync(join(dir, 'hello.html.hbs'), '{{#> frame}}<p>{{name}}</p>{{/frame}}');
    writeFileSync(join(dir, 'hello.text.hbs'), 'Hi {{name}}\n\n\n\n{{> sig}}');
    const rendered = new MailTemplates(dir).render('hello', { name: 'A & B' }, 's');
    expect(rendered.html).toBe('<main><p>A &amp; B</p></main>');
    expect(rendered.text).toBe('Hi A & B\n\n-- \nDesk\n');
  });
});
