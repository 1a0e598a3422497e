import { Injectable } from '@nestjs/common';
import type Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTemplateDir, newHandlebars, readTemplate } from '../../common/templates/handlebars';
import { ADMIN_PAGES } from './admin/admin-pages';

export const CONSOLE_PAGES = [
  'login',
  'queue',
  'incident',
  'error',
  'new-incident',
  'reports',
  'bulk-result',
  ...ADMIN_PAGES,
] as const;
export type ConsolePage = (typeof CONSOLE_PAGES)[number];

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
  etag: string;
  /** The address pages use: the name and a content hash, so a new release is fetched at once. */
  url: string;
}

const JS = 'text/javascript; charset=utf-8';

/**
 * The console's Handlebars views (`templates/console`: pages, `partials/`, `static/`), compiled once at start so a
 * broken template stops the process rather than a request, and its static files: our stylesheet and script, and
 * htmx from the `htmx.org` package, served from our own origin (the CSP allows same-origin scripts only). Every
 * value is written with `{{ }}` (escaped); a template with `{{{ }}}` is refused.
 */
@Injectable()
export class ConsoleViews {
  private readonly pages = new Map<ConsolePage, Handlebars.TemplateDelegate>();
  private readonly partials = new Map<string, Handlebars.TemplateDelegate>();
  private readonly assets = new Map<string, ConsoleAsset>();

  constructor(directory: string = findTemplateDir('console')) {
    const hbs = newHandlebars();
    hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    const partialDir = join(directory, 'partials');
    for (const file of readdirSync(partialDir).sort()) {
      if (!file.endsWith('.hbs')) continue;
      const name = file.slice(0, -'.hbs'.length);
      const source = readTemplate(join(partialDir, file), { escapedOnly: true });
      hbs.registerPartial(name, source);
      this.partials.set(name, hbs.compile(source, { preventIndent: true }));
    }
    for (const page of CONSOLE_PAGES) {
      this.pages.set(
        page,
        hbs.compile(readTemplate(join(directory, `${page}.hbs`), { escapedOnly: true }), {
          preventIndent: true,
        }),
      );
    }
    const files: [string, string, string][] = [
      ['console.css', join(directory, 'static', 'console.css'), 'text/css; charset=utf-8'],
      ['console.js', join(directory, 'static', 'console.js'), JS],
      ['console-forms.js', join(directory, 'static', 'console-forms.js'), JS],
      ['htmx.min.js', require.resolve('htmx.org/dist/htmx.min.js'), JS],
    ];
    for (const [name, path, contentType] of files) {
      // htmx's last line names a source map we do not serve.
      const body = Buffer.from(readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
      const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
      this.assets.set(name, {
        body,
        contentType,
        etag: `"${hash}"`,
        url: `/console/assets/${name}?v=${hash}`,
      });
    }
  }

  render(page: ConsolePage, model: object): string {
    const template = this.pages.get(page);
    if (!template) throw new Error(`Unknown console page "${page}"`);
    return template({ ...model, assets: this.assetUrls() });
  }

  /** One partial alone (a region htmx fetches again). */
  renderPartial(name: string, model: object): string {
    const template = this.partials.get(name);
    if (!template) throw new Error(`Unknown console partial "${name}"`);
    return template(model);
  }

  asset(name: string): ConsoleAsset | null {
    return this.assets.get(name) ?? null;
  }

  private assetUrls(): Record<'css' | 'js' | 'forms' | 'htmx', string> {
    const url = (name: string): string => this.assets.get(name)?.url ?? '';
    return {
      css: url('console.css'),
      js: url('console.js'),
      forms: url('console-forms.js'),
      htmx: url('htmx.min.js'),
    };
  }
}
