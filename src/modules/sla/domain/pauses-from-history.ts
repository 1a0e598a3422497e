import type { Pause } from './business-calendar';

/** One entry of an incident's status history: it entered `status` at `at`. */
export interface StatusChange {
  readonly status: string;
  readonly at: Date;
}

/** Statuses that stop the SLA clocks. `awaiting_supplier` deliberately does NOT pause. */
export const DEFAULT_PAUSING_STATUSES: readonly string[] = Object.freeze(['awaiting_caller']);

/**
 * The pauses implied by a status history: a pause starts when the incident enters a pausing status and ends
 * when it moves to a non-pausing one. Moving between two pausing statuses keeps one pause. A pause still open
 * at the end of the history has `to: null`. Zero-length pauses are dropped.
 *
 * The history is ordered by `at` first (stable, so equal instants keep their given order); it may start before
 * or after the clock starts — the business-time functions ignore pause time outside their range.
 */
export function pausesFromHistory(
  history: readonly StatusChange[],
  pausingStatuses: readonly string[] = DEFAULT_PAUSING_STATUSES,
): Pause[] {
  const pausing = new Set(pausingStatuses);
  const ordered = [...history].sort((a, b) => a.at.getTime() - b.at.getTime());
  const pauses: Pause[] = [];
  let openSince: Date | null = null;
  for (const change of ordered) {
    const isPausing = pausing.has(change.status);
    if (isPausing && openSince === null) openSince = change.at;
    else if (!isPausing && openSince !== null) {
      if (change.at.getTime() > openSince.getTime()) pauses.push({ from: openSince, to: change.at });
      openSince = null;
    }
  }
  if (openSince !== null) pauses.push({ from: openSince, to: null });
  return pauses;
}
