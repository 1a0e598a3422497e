/** Most characters of an error's text kept in a log field or a `last_error` column. */
export const ERROR_TEXT_MAX = 2_000;

/**
 * An error as one line of text for a log field or a `last_error` column: its message (a thrown non-Error as a
 * string), line breaks and runs of space collapsed, cut to `max` characters. Never the error's other properties:
 * a database error carries the statement's parameters, which may be personal data.
 */
export function errorText(err: unknown, max = ERROR_TEXT_MAX): string {
  const message = err instanceof Error ? err.message : String(err);
  const line = message.replace(/\s+/g, ' ').trim() || 'unknown error';
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
