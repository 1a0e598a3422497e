import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The template folders under `templates/` of the installation. */
export type TemplateKind = 'email' | 'web' | 'console';

/**
 * `templates/{kind}` of the installation: the first one found walking up from this file, which works from `src/`
 * (tests), `dist/src/` (the built app) and the Docker image (`/app/dist` beside `/app/templates`), whatever the
 * working directory.
 */
export function findTemplateDir(kind: TemplateKind, from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'templates', kind);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No templates/${kind} directory above ${from}`);
    dir = parent;
  }
}

/**
 * Reads a template's source. With `escapedOnly`, a template that writes a value unescaped (`{{{ }}}`) is refused
 * at start: every value on an HTML page must go through Handlebars' escaping.
 */
export function readTemplate(path: string, options: { escapedOnly?: boolean } = {}): string {
  const source = readFileSync(path, 'utf8');
  if (options.escapedOnly && source.includes('{{{')) {
    throw new Error(`${path} uses {{{ }}}: write every value with {{ }} so it is escaped`);
  }
  return source;
}

/**
 * Registers every partial of `directory` whose file name ends in `suffix` (`.hbs`, `.html.hbs`, `.text.hbs`),
 * named without the suffix. A missing folder registers nothing.
 */
export function registerPartials(
  hbs: typeof Handlebars,
  directory: string,
  suffix: string,
  options: { escapedOnly?: boolean } = {},
): void {
  if (!existsSync(directory)) return;
  for (const file of readdirSync(directory).sort()) {
    if (file.endsWith(suffix)) {
      hbs.registerPartial(file.slice(0, -suffix.length), readTemplate(join(directory, file), options));
    }
  }
}

/** A Handlebars environment of its own (helpers and partials do not leak between mail, pages and console). */
export function newHandlebars(): typeof Handlebars {
  return Handlebars.create();
}
