/** Incident references are `INC-` and at least six digits (pinned in DESIGN.md). */
const REFERENCE = /\bINC-(\d{6,})\b/gi;

/** Every incident reference in a text, upper-cased, without duplicates, in order of appearance. */
export function referencesInText(text: string): string[] {
  const refs: string[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    const ref = `INC-${match[1] ?? ''}`;
    if (!refs.includes(ref)) refs.push(ref);
  }
  return refs;
}

/**
 * The incident references in a subject: the bracketed `[INC-000123]` we put there first, then bare
 * `INC-000123` anywhere else, in order of appearance, without duplicates.
 */
export function referencesInSubject(subject: string): string[] {
  const bracketed = [...subject.matchAll(/\[\s*(INC-\d{6,})\s*\]/gi)].map((m) => (m[1] ?? '').toUpperCase());
  return [...new Set([...bracketed, ...referencesInText(subject)])];
}
