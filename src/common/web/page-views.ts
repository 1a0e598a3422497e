import type Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { newHandlebars, readTemplate, registerPartials } from '../templates/handlebars';
import { sendPage } from './web-response';

export interface StaticAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

export interface PageViewsOptions<P extends string> {
  /** Page templates: `{directory}/{page}.hbs`. */
  pages: readonly P[];
  /** Files served from `{directory}/static`, by name, with their content type. */
  assets: Readonly<Record<string, string>>;
  /** Helpers beside the built-in `eq`. */
  helpers?: Record<string, Handlebars.HelperDelegate>;
  /** How long browsers may keep an asset without asking again (seconds). */
  assetMaxAgeSeconds?: number;
}

/**
 * A set of server-rendered pages: Handlebars templates (`{page}.hbs`, partials in `partials/`) compiled once at
 * start, so a broken template stops the process rather than a request, and the small static files beside them,
 * read once. Every value is written with `{{ }}` (escaped); a template using `{{{ }}}` is refused.
 */
export class PageViews<P extends string = string> {
  private readonly pages = new Map<P, Handlebars.TemplateDelegate>();
  private readonly assets = new Map<string, StaticAsset>();
  private readonly assetMaxAge: number;

  constructor(directory: string, options: PageViewsOptions<P>) {
    const hbs = newHandlebars();
    hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    for (const [name, helper] of Object.entries(options.helpers ?? {})) hbs.registerHelper(name, helper);
    registerPartials(hbs, join(directory, 'partials'), '.hbs', { escapedOnly: true });
    for (const page of options.pages) {
      const source = readTemplate(join(directory, `${page}.hbs`), { escapedOnly: true });
      this.pages.set(page, hbs.compile(source, { strict: false, preventIndent: true }));
    }
    for (const [name, contentType] of Object.entries(options.assets)) {
      const body = readFileSync(join(directory, 'static', name));
      this.assets.set(name, {
        body,
        contentType,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
      });
    }
    this.assetMaxAge = options.assetMaxAgeSeconds ?? 3600;
  }

  render(page: P, model: object): string {
    const template = this.pages.get(page);
    if (!template) throw new Error(`Unknown page "${page}"`);
    return template(model);
  }

  asset(name: string): StaticAsset | null {
    return this.assets.get(name) ?? null;
  }

  /**
   * Answers a request for a static file: the file with its ETag (304 when the browser has it), or false when
   * there is no such file (the caller answers its own 404 page).
   */
  async sendAsset(name: string, req: FastifyRequest, res: FastifyReply): Promise<boolean> {
    const asset = this.asset(name);
    if (!asset) return false;
    void res.headers({
      'Content-Type': asset.contentType,
      ETag: asset.etag,
      'Cache-Control': `public, max-age=${this.assetMaxAge}`,
    });
    if (req.headers['if-none-match'] === asset.etag) await res.status(304).send();
    else await res.status(200).send(asset.body);
    return true;
  }

  /** Renders a page and sends it (never cached: pages carry CSRF tokens or personal data). */
  send(res: FastifyReply, status: number, page: P, model: object): void {
    sendPage(res, status, this.render(page, model));
  }
}
