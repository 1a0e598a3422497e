import { extensions } from 'mime-types';

/**
 * Extensions a file sniffed as plain text may keep: text/plain's own, and text formats that a desktop opens in an
 * editor or a spreadsheet. Anything else (`.html`, `.svg`, `.js`, `.exe`) gets `.txt` added.
 */
const TEXT_EXTENSIONS = new Set([
  ...(extensions['text/plain'] ?? []),
  ...(extensions['text/csv'] ?? []),
  ...(extensions['text/tab-separated-values'] ?? []),
  ...(extensions['text/markdown'] ?? []),
  'json',
]);

/**
 * The name a file is served under: its stored name when the extension matches the type sniffed from its bytes,
 * else that name with the type's own extension added (`screen.txt` holding a PNG is served as `screen.txt.png`,
 * `page.html` holding text as `page.html.txt`). Bytes of no known type are `.bin`, whatever they were called, so
 * a download is never opened as a program or a page because of the name its uploader chose.
 */
export function servedFilename(filename: string, contentType: string): string {
  const allowed = allowedExtensions(contentType);
  const dot = filename.lastIndexOf('.');
  const extension = dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
  return allowed.includes(extension) ? filename : `${filename}.${allowed[0]}`;
}

function allowedExtensions(contentType: string): string[] {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'text/plain') return ['txt', ...TEXT_EXTENSIONS];
  if (type === 'application/octet-stream') return ['bin'];
  return extensions[type] ?? ['bin'];
}
