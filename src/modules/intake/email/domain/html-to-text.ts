import { compile } from 'html-to-text';

export interface HtmlToTextLimits {
  /** Characters of HTML considered (default 2,000,000). */
  maxInputLength?: number;
}

const SKIPPED = [
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'img',
];
const URL_HIDDEN = ['#', 'cid:', 'data:', 'javascript:', 'vbscript:'];
const DEFAULT_MAX_INPUT_LENGTH = 2_000_000;

/** Compiled once (html-to-text recommends it for reused options). */
const converter = compile({
  wordwrap: false,
  // We cut the input ourselves (the library would log a warning to the console when it does).
  limits: { maxInputLength: Number.MAX_SAFE_INTEGER, maxDepth: 200, ellipsis: '…' },
  selectors: [
    {
      selector: 'a',
      options: { linkBrackets: ['(', ')'], hideLinkHrefIfSameAsText: true, noAnchorUrl: true },
    },
    ...URL_HIDDEN.map((prefix) => ({ selector: `a[href^="${prefix}" i]`, format: 'inline' })),
    ...SKIPPED.map((selector) => ({ selector, format: 'skip' })),
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
});

/**
 * HTML mail body → plain text, for HTML-only mail and for the console. A thin wrapper over the
 * `html-to-text` package (the one mailparser itself uses), configured for safety and readability:
 * - `script`, `style`, `head`, `noscript`, `template`, `iframe`, `object`, `svg` and images are dropped;
 * - entities are decoded; block elements, `<br>` and list items become line breaks; no word wrapping;
 * - links read `text (url)`, or just the text when the URL is the text, an anchor (`#…`), `cid:`, `data:`
 *   or `javascript:`;
 * - input longer than `maxInputLength` characters is cut and nesting deeper than 200 elided, so hostile
 *   HTML cannot exhaust memory or the stack.
 */
export function htmlToText(html: string, limits: HtmlToTextLimits = {}): string {
  const max = limits.maxInputLength ?? DEFAULT_MAX_INPUT_LENGTH;
  const input = html.length > max ? html.slice(0, max) : html;
  if (input.trim() === '') return '';
  return converter(input)
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
