import type { FieldProblem } from './queues';

/** What an incident page showed when its form was filled in: the incident's version and its newest entry. */
export interface SeenState {
  version: number;
  /** The id of the newest timeline entry the page showed ('0': none). */
  event: string;
}

export type SeenRead = { ok: true; seen: SeenState | null } | { ok: false; problems: FieldProblem[] };

const NUMBER = /^\d{1,15}$/;

/**
 * Reads a change form's `version` and `seen` (hidden fields every incident form carries). A form without both
 * (an older page, a script) is not version-checked; anything else that is not a number is refused.
 */
export function readSeen(body: Record<string, unknown>): SeenRead {
  const { version, seen } = body;
  if (version === undefined && seen === undefined) return { ok: true, seen: null };
  const problems: FieldProblem[] = [];
  if (typeof version !== 'string' || !NUMBER.test(version))
    problems.push({ field: 'version', message: 'not a version of this incident' });
  if (typeof seen !== 'string' || !NUMBER.test(seen))
    problems.push({ field: 'seen', message: 'not an entry of this timeline' });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, seen: { version: Number(version), event: String(seen) } };
}

/** Timeline entries that do not count as someone else's change: the SLA engine's own warnings and recalculations. */
export function countsAsChange(entry: { event: string | null }): boolean {
  return !(entry.event ?? '').startsWith('sla_');
}

/** Whether an entry (by id) is newer than what the page showed. */
export function newerThan(entryId: string, seenEvent: string): boolean {
  return BigInt(entryId) > BigInt(seenEvent);
}
