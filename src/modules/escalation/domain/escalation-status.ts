/** An escalation's statuses (pinned by the API) and what the supplier's updates do to them. Pure. */

export const ESCALATION_STATUSES = [
  'pending',
  'sent',
  'acknowledged',
  'in_progress',
  'resolved',
  'failed',
  'cancelled',
] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

/** Statuses in which the supplier holds the incident. */
export const OPEN_ESCALATION_STATUSES: readonly EscalationStatus[] = [
  'pending',
  'sent',
  'acknowledged',
  'in_progress',
];

/** OPEN_ESCALATION_STATUSES as an SQL list, for `status IN (...)` (constants, never user input). */
export const OPEN_ESCALATION_STATUSES_SQL = OPEN_ESCALATION_STATUSES.map((s) => `'${s}'`).join(', ');

export function isOpen(status: EscalationStatus): boolean {
  return OPEN_ESCALATION_STATUSES.includes(status);
}

/** What a supplier may post (`update`: free text). */
export const SUPPLIER_UPDATE_STATUSES = [
  'acknowledged',
  'in_progress',
  'engineer_dispatched',
  'needs_info',
  'resolved',
  'not_ours',
  'update',
] as const;
export type SupplierUpdateStatus = (typeof SUPPLIER_UPDATE_STATUSES)[number];

export interface UpdateEffect {
  /** The escalation's new status (unchanged: the same as before). */
  readonly status: EscalationStatus;
  /** The acknowledge clock is met by this update (it acknowledges, or goes further). */
  readonly acknowledges: boolean;
  /** The fix clock is met (the supplier says it is fixed). */
  readonly fixes: boolean;
  /** The supplier hands the incident back to the desk: it leaves `awaiting_supplier` for `in_progress`. */
  readonly handsBack: boolean;
  /** The supplier sent it back as not theirs. */
  readonly notOurs: boolean;
}

const RANK: Readonly<Record<EscalationStatus, number>> = {
  pending: 0,
  sent: 1,
  acknowledged: 2,
  in_progress: 3,
  resolved: 4,
  failed: 5,
  cancelled: 5,
};

/**
 * What one supplier update does to an escalation in `current`. An update never moves an escalation backwards
 * (an `acknowledged` arriving after `in_progress` changes nothing); `needs_info` and free text only add to the
 * timeline, except that a question hands the incident back to the desk. A closed escalation (resolved, failed,
 * cancelled) takes only timeline entries; `resolved` again after a reopen is allowed.
 */
export function updateEffect(current: EscalationStatus, update: SupplierUpdateStatus): UpdateEffect {
  const none = { acknowledges: false, fixes: false, handsBack: false, notOurs: false };
  const forward = (to: EscalationStatus): EscalationStatus => (RANK[to] > RANK[current] ? to : current);
  switch (update) {
    case 'acknowledged':
      return { ...none, status: forward('acknowledged'), acknowledges: true };
    case 'in_progress':
    case 'engineer_dispatched':
      return { ...none, status: forward('in_progress'), acknowledges: true };
    case 'resolved':
      return isOpen(current)
        ? { ...none, status: 'resolved', acknowledges: true, fixes: true, handsBack: true }
        : { ...none, status: current };
    case 'not_ours':
      return isOpen(current)
        ? { ...none, status: 'cancelled', handsBack: true, notOurs: true }
        : { ...none, status: current };
    case 'needs_info':
      return { ...none, status: current, handsBack: isOpen(current) };
    case 'update':
      return { ...none, status: current };
  }
}
