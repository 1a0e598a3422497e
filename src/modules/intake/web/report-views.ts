import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const WEB_PAGES = ['report-form', 'report-thanks', 'report-status', 'error'] as const;
export type WebPage = (typeof WEB_PAGES)[number];

export const WEB_ASSETS = {
  'report.css': 'text/css; charset=utf-8',
  'site-filter.js': 'text/javascript; charset=utf-8',
} as const;
export type WebAsset = keyof typeof WEB_ASSETS;

export interface StaticAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/**
 * The public pages' Handlebars templates (`templates/web`), compiled once at start so a broken template stops
 * the process rather than a request, and the small static files beside them, read once. Every value is written
 * with `{{ }}` (escaped); no template uses `{{{ }}}`.
 */
@Injectable()
export class ReportViews {
  private readonly pages = new Map<WebPage, Handlebars.TemplateDelegate>();
  private readonly assets = new Map<WebAsset, StaticAsset>();

  constructor(directory: string = findWebTemplateDir()) {
    const hbs = Handlebars.create();
    hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    const partials = join(directory, 'partials');
    for (const file of readdirSync(partials).sort()) {
      if (file.endsWith('.hbs'))
        hbs.registerPartial(file.slice(0, -'.hbs'.length), readTemplate(join(partials, file)));
    }
    for (const page of WEB_PAGES) {
      this.pages.set(
        page,
        hbs.compile(readTemplate(join(directory, `${page}.hbs`)), { strict: false, preventIndent: true }),
      );
    }
    for (const [name, contentType] of Object.entries(WEB_ASSETS) as [WebAsset, string][]) {
      const body = readFileSync(join(directory, 'static', name));
      this.assets.set(name, {
        body,
        contentType,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
      });
    }
  }

  render(page: WebPage, model: object): string {
    const template = this.pages.get(page);
    if (!template) throw new Error(`Unknown web page "${page}"`);
    return template(model);
  }

  asset(name: string): StaticAsset | null {
    return Object.hasOwn(WEB_ASSETS, name) ? (this.assets.get(name as WebAsset) ?? null) : null;
  }
}

function readTemplate(path: string): string {
  const source = readFileSync(path, 'utf8');
  if (source.includes('{{{'))
    throw new Error(`${path} uses {{{ }}}: write every value with {{ }} so it is escaped`);
  return source;
}

/** `templates/web` of the installation: the first found walking up from this file (works from src/ and dist/src/). */
export function findWebTemplateDir(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'templates', 'web');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No templates/web directory above ${from}`);
    dir = parent;
  }
}
