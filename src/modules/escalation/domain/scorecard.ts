/** The supplier scorecard's arithmetic, from rows already read. Pure. */

export interface ScoredClock {
  readonly dueAt: Date;
  readonly metAt: Date | null;
  readonly breachedAt: Date | null;
  /** Contract business minutes from escalation to met (null when not met). */
  readonly minutesToMeet: number | null;
}

/** Percentage (one decimal) of the clocks that ended (met, or breached) which were met in time; null for none. */
export function metPercent(clocks: readonly ScoredClock[]): number | null {
  const ended = clocks.filter((c) => c.metAt !== null || c.breachedAt !== null);
  if (ended.length === 0) return null;
  const inTime = ended.filter((c) => c.metAt !== null && c.metAt.getTime() <= c.dueAt.getTime()).length;
  return Math.round((inTime / ended.length) * 1000) / 10;
}

/** The median (one decimal) of the minutes to meet, over the clocks that were met; null for none. */
export function medianMinutes(clocks: readonly ScoredClock[]): number | null {
  const values = clocks
    .map((c) => c.minutesToMeet)
    .filter((m): m is number => m !== null)
    .sort((a, b) => a - b);
  if (values.length === 0) return null;
  const mid = Math.floor(values.length / 2);
  const median = values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  return Math.round(median * 10) / 10;
}

/**
 * Whether an incident was reopened after the supplier said resolved: after `supplierResolvedAt`, the history
 * enters `resolved` and later leaves it for anything but `closed`.
 */
export function reopenedAfter(
  history: readonly { status: string; at: Date }[],
  supplierResolvedAt: Date,
): boolean {
  let resolved = false;
  for (const change of history) {
    if (change.at.getTime() < supplierResolvedAt.getTime()) continue;
    if (change.status === 'resolved') resolved = true;
    else if (resolved && change.status !== 'closed') return true;
  }
  return false;
}
