/**
 * The one rule for text the API takes, in a JSON body, a query string or a path: it must be well-formed Unicode
 * without NUL. PostgreSQL text cannot hold NUL, and a lone UTF-16 surrogate (`"\ud800"` in JSON) has no UTF-8 form,
 * so the driver would either fail (a 500) or replace it silently. Such a string is refused with 400 naming its
 * field; nothing is replaced. A query value whose percent-encoding is not UTF-8 (`%ED%A0%80`, a surrogate's bytes)
 * is refused the same way.
 */
export interface FieldProblem {
  field: string;
  reasons: string[];
}

const NUL = /\u0000/;
const LONE_SURROGATE = /\p{Cs}/u;

/** Why this text cannot be stored, or null when it can. */
export function textProblem(text: string): string | null {
  if (NUL.test(text)) return 'must not contain a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode text: it contains a lone UTF-16 surrogate';
  return null;
}

/** Most JSON nesting a request body may have (objects and arrays); the API's deepest body has 4 levels. */
export const MAX_JSON_DEPTH = 32;
/** Most values (object members and array items, at every level) a request body may hold. */
export const MAX_BODY_VALUES = 2_000;

export interface InputScan {
  problems: FieldProblem[];
  /** Object members and array items seen, at every level. */
  values: number;
}

/**
 * Every string in `value` that breaks the rule, with its field path (`reporter.name`, `emailDomains.2`), walking
 * without recursion. Stops listing at `maxProblems`, and stops walking past `maxValues` values (the caller refuses
 * such a body; `values` then says how many there were at the top levels walked).
 */
export function scanInput(
  value: unknown,
  prefix = '',
  maxProblems = 100,
  maxValues = MAX_BODY_VALUES,
): InputScan {
  const problems: FieldProblem[] = [];
  let values = 0;
  const stack: [unknown, string][] = [[value, prefix]];
  while (stack.length > 0) {
    const [item, path] = stack.pop() as [unknown, string];
    if (typeof item === 'string') {
      const reason = problems.length < maxProblems ? textProblem(item) : null;
      if (reason) problems.push({ field: path || '(body)', reasons: [reason] });
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    const entries: (readonly [string, unknown])[] = Array.isArray(item)
      ? (item as unknown[]).map((v, i) => [String(i), v] as const)
      : Object.entries(item as Record<string, unknown>);
    values += entries.length;
    if (values > maxValues) return { problems, values };
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      stack.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return { problems, values };
}

/** Query values (`a=b&c=d`) whose percent-encoding does not decode as UTF-8, by parameter name. */
export function badlyEncodedQuery(query: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const raw = eq < 0 ? '' : pair.slice(eq + 1);
    if (!raw.includes('%')) continue;
    try {
      decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      problems.push({ field: safeKey(key), reasons: ['is not valid UTF-8 percent-encoding'] });
    }
  }
  return problems;
}

function safeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

/**
 * How deep a JSON text nests, read before parsing (a linear scan, strings skipped), stopping as soon as it passes
 * `max`: so a body of 5,000 nested arrays is refused before anything recursive sees it.
 */
export function jsonNestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}
