/**
 * Incident references: `INC-` and the incident's sequence number, zero-padded to at least six digits
 * (INC-000123, INC-1234567). Email subjects carry them in brackets: `[INC-000123]`.
 */

const PREFIX = 'INC-';
const MIN_DIGITS = 6;

/**
 * Regex source matching a reference anywhere in a text, the digits in group 1. Compile it with the `i` flag to
 * accept `inc-000123` (and `g` to find several): `new RegExp(REFERENCE_PATTERN, 'i')`. The word boundaries keep it
 * from matching inside `XINC-000123` or `INC-000123abc`.
 */
export const REFERENCE_PATTERN = String.raw`\bINC-(\d{6,})\b`;

const WHOLE_REFERENCE = /^(?:\[\s*INC-(\d{6,})\s*\]|INC-(\d{6,}))$/i;

/**
 * Formats a sequence number (a positive integer; a bigint or a decimal string as PostgreSQL's bigint columns
 * arrive) as a reference. Throws RangeError for anything else.
 */
export function formatReference(seq: number | bigint | string): string {
  let value: bigint;
  if (typeof seq === 'bigint') {
    value = seq;
  } else if (typeof seq === 'number') {
    if (!Number.isSafeInteger(seq))
      throw new RangeError(`Incident sequence must be a safe integer, got ${seq}`);
    value = BigInt(seq);
  } else {
    if (!/^\d+$/.test(seq)) throw new RangeError(`Incident sequence must be a decimal integer, got "${seq}"`);
    value = BigInt(seq);
  }
  if (value < 1n) throw new RangeError(`Incident sequence must be >= 1, got ${value}`);
  return PREFIX + value.toString().padStart(MIN_DIGITS, '0');
}

/**
 * Reads a reference typed or pasted by a person or another system: `INC-000123`, `inc-000123`, `[INC-000123]`,
 * with surrounding whitespace allowed. Returns the sequence number, or null when the text is not exactly one
 * reference (or names 0, or a number too large to be a safe integer). To find a reference inside a longer text
 * such as an email subject, use REFERENCE_PATTERN.
 */
export function parseReference(s: string): number | null {
  const match = WHOLE_REFERENCE.exec(s.trim());
  if (match === null) return null;
  const digits = match[1] ?? match[2];
  const value = Number(digits);
  if (!Number.isSafeInteger(value) || value < 1) return null;
  return value;
}
