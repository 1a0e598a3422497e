import { htmlToText } from './html-to-text';
import { parseCorpusMail } from './mail-corpus.testing';

describe('htmlToText', () => {
  it('drops script and style, decodes entities and breaks blocks into lines', () => {
    const html =
      '<html><head><title>T</title><style>p{color:red}</style><script>alert("x")</script></head>' +
      '<body><h1>Wireless down</h1><p>Ward&nbsp;5 &amp; ward 6 &eacute;&#x1F600;<br>since 09:00</p>' +
      '<div>Second block</div><ul><li>one</li><li>two</li></ul><noscript>ns</noscript></body></html>';
    expect(htmlToText(html)).toBe(
      'Wireless down\n\nWard 5 & ward 6 é😀\nsince 09:00\n\nSecond block\n * one\n * two',
    );
  });

  it('writes links as text (url) and hides unsafe or pointless URLs', () => {
    const html =
      '<p><a href="https://status.example/vmb?x=1&amp;y=2">status page</a> ' +
      '<a href="https://same.example">https://same.example</a> ' +
      '<a href="JavaScript:alert(1)">click</a> <a href="#top">top</a> <a href="cid:logo">logo</a> ' +
      '<a href="data:text/html,evil">data</a> <a>bare</a></p>';
    expect(htmlToText(html)).toBe(
      'status page (https://status.example/vmb?x=1&y=2) https://same.example click top logo data bare',
    );
  });

  it('skips images, iframes and svg, keeps table cells apart', () => {
    const html =
      '<p>a<img src="cid:x" alt="pic"><iframe src="https://x">if</iframe><svg><text>s</text></svg>b</p>' +
      '<table><tr><th>Site</th><th>Status</th></tr><tr><td>1234</td><td>down</td></tr></table>';
    expect(htmlToText(html)).toBe('ab\n\nSite   Status\n1234   down');
  });

  it('survives hostile nesting and huge input', () => {
    const deep = `${'<div>'.repeat(5000)}deep${'</div>'.repeat(5000)}`;
    expect(() => htmlToText(deep)).not.toThrow();
    expect(htmlToText(`<p>${'x'.repeat(100)}</p>`, { maxInputLength: 20 }).length).toBeLessThanOrEqual(20);
  });

  it('returns an empty string for empty input', () => {
    expect(htmlToText('')).toBe('');
    expect(htmlToText('   ')).toBe('');
  });

  it('converts the HTML-only corpus spam and the Sparrow HTML part', async () => {
    const spam = await parseCorpusMail('mailparser', 'mailparser-spam.eml');
    const text = htmlToText(spam.mail.html ?? '');
    expect(text).toContain('Euro');
    expect(text).not.toMatch(/<[a-z]/i);
    const sparrow = await parseCorpusMail('mailparser', 'mailparser-sparrow.eml');
    expect(htmlToText(sparrow.mail.html ?? '')).toContain('Kuidas läheb?');
  });
});
