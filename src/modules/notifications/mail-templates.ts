import { Injectable } from '@nestjs/common';
import type Handlebars from 'handlebars';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  findTemplateDir,
  newHandlebars,
  readTemplate,
  registerPartials,
} from '../../common/templates/handlebars';

export interface RenderedMail {
  html: string;
  text: string;
}

/** Values the `incident-acknowledgement` template reads. */
export interface IncidentAcknowledgementContext {
  reference: string;
  reporterName?: string | null;
  summary: string;
  siteName: string;
  siteCode?: string | null;
  serviceName?: string | null;
  priority: string;
  statusUrl: string;
}

/** Values the `incident-reply` template reads. `body` is the agent's public reply, plain text. */
export interface IncidentReplyContext {
  reference: string;
  summary?: string | null;
  body: string;
  author?: string | null;
  statusUrl: string;
}

type Compiled = { html: Handlebars.TemplateDelegate; text: Handlebars.TemplateDelegate };

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * The email templates under `templates/email`: `{name}.html.hbs` + `{name}.text.hbs` per message, and shared
 * partials under `templates/email/partials` (`layout.html.hbs` wraps every HTML part). Everything is compiled
 * once, at start, so a broken template stops the process instead of failing a send.
 *
 * HTML parts use Handlebars' default escaping; no template uses `{{{ }}}`. Text parts are compiled with
 * `noEscape` (plain text must not show `&amp;`); they are sent as text/plain, where markup is inert.
 */
@Injectable()
export class MailTemplates {
  private readonly compiled = new Map<string, Compiled>();
  readonly directory: string;

  constructor(directory: string = findTemplateDir('email')) {
    this.directory = directory;
    const html = newHandlebars();
    const text = newHandlebars();
    registerHelpers(html, 'html');
    registerHelpers(text, 'text');
    registerPartials(html, join(directory, 'partials'), '.html.hbs');
    registerPartials(text, join(directory, 'partials'), '.text.hbs');
    const files = new Set(readdirSync(directory));
    for (const file of [...files].sort()) {
      const part = /^(.+)\.(html|text)\.hbs$/.exec(file);
      if (!part || part[2] !== 'html') continue;
      const name = part[1];
      if (!NAME.test(name))
        throw new Error(`Email template name "${name}" must be lower-case letters, digits and "-"`);
      if (!files.has(`${name}.text.hbs`))
        throw new Error(`Email template "${name}" has an HTML part but no ${name}.text.hbs`);
      this.compiled.set(name, {
        html: html.compile(readTemplate(join(directory, file)), { strict: false }),
        text: text.compile(readTemplate(join(directory, `${name}.text.hbs`)), {
          noEscape: true,
          strict: false,
        }),
      });
    }
    for (const file of files) {
      const part = /^(.+)\.text\.hbs$/.exec(file);
      if (part && !this.compiled.has(part[1]))
        throw new Error(`Email template "${part[1]}" has a text part but no ${part[1]}.html.hbs`);
    }
  }

  get names(): string[] {
    return [...this.compiled.keys()];
  }

  has(name: string): boolean {
    return this.compiled.has(name);
  }

  /** Renders both parts. `subject` is available to the templates (the HTML layout uses it as the title). */
  render(name: string, context: Record<string, unknown>, subject: string): RenderedMail {
    const template = this.compiled.get(name);
    if (!template) throw new Error(`Unknown email template "${name}"`);
    const data = { ...context, subject };
    return { html: template.html(data), text: normaliseText(template.text(data)) };
  }
}

function registerHelpers(hbs: typeof Handlebars, kind: 'html' | 'text'): void {
  /** The value when it is an absolute http(s) URL, otherwise '' (a `javascript:` link never reaches a mail). */
  hbs.registerHelper('httpUrl', (value: unknown) =>
    typeof value === 'string' && isHttpUrl(value) ? value : '',
  );
  /** Plain text with its line breaks kept: escaped, then each break becomes `<br>` (HTML); as is (text). */
  hbs.registerHelper('multiline', (value: unknown) => {
    const str =
      typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : '';
    if (kind === 'text') return str;
    return new hbs.SafeString(
      hbs.Utils.escapeExpression(str)
        .split(/\r\n|\r|\n/)
        .join('<br>\n'),
    );
  });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Trailing spaces off every line (but the `-- ` signature separator), at most one blank line in a row, one final newline. */
function normaliseText(text: string): string {
  return `${text
    .replace(/^(?!-- $)(.*?)[ \t]+$/gm, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
