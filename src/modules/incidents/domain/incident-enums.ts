/** Value sets of an incident. Each `as const` array is the single source of its union type. */

export const IMPACTS = ['site_down', 'several_users', 'one_user'] as const;
export type Impact = (typeof IMPACTS)[number];

export const URGENCIES = ['high', 'medium', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CHANNELS = ['web', 'email', 'phone', 'sms', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * The design's `on_hold` is not a status of its own: it is one of the two `awaiting_*` statuses, because the
 * SLA clock treats them differently (`awaiting_caller` pauses it, `awaiting_supplier` does not).
 */
export const STATUSES = [
  'new',
  'assigned',
  'in_progress',
  'awaiting_caller',
  'awaiting_supplier',
  'resolved',
  'closed',
  'cancelled',
] as const;
export type IncidentStatus = (typeof STATUSES)[number];

/** The two faces of `on_hold`. */
export const ON_HOLD_STATUSES = [
  'awaiting_caller',
  'awaiting_supplier',
] as const satisfies readonly IncidentStatus[];
export type OnHoldStatus = (typeof ON_HOLD_STATUSES)[number];

/** Work still to do: counted in the backlog and in ageing. `resolved` is not open (it waits only for closure). */
export const OPEN_STATUSES = [
  'new',
  'assigned',
  'in_progress',
  'awaiting_caller',
  'awaiting_supplier',
] as const satisfies readonly IncidentStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** No transition leaves these. */
export const TERMINAL_STATUSES = ['closed', 'cancelled'] as const satisfies readonly IncidentStatus[];
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

/**
 * Resolution (closure) codes, a common ITSM set:
 * - fixed: the fault was repaired by the desk or resolver group
 * - workaround: service restored, underlying fault remains (a problem record may follow)
 * - supplier_fixed: repaired by the supplier (VMB, Imerja second line) under their contract
 * - no_fault_found: investigated, nothing wrong with the service
 * - not_reproducible: the reported symptom could not be reproduced
 * - user_error: caused by how the service was used; advice given
 * - duplicate: the same fault is already logged (link it to that incident)
 */
export const RESOLUTION_CODES = [
  'fixed',
  'workaround',
  'supplier_fixed',
  'no_fault_found',
  'not_reproducible',
  'user_error',
  'duplicate',
] as const;
export type ResolutionCode = (typeof RESOLUTION_CODES)[number];

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

export const isImpact = (value: unknown): value is Impact => isOneOf(IMPACTS, value);
export const isUrgency = (value: unknown): value is Urgency => isOneOf(URGENCIES, value);
export const isPriority = (value: unknown): value is Priority => isOneOf(PRIORITIES, value);
export const isChannel = (value: unknown): value is Channel => isOneOf(CHANNELS, value);
export const isIncidentStatus = (value: unknown): value is IncidentStatus => isOneOf(STATUSES, value);
export const isResolutionCode = (value: unknown): value is ResolutionCode => isOneOf(RESOLUTION_CODES, value);
export const isOnHoldStatus = (value: unknown): value is OnHoldStatus => isOneOf(ON_HOLD_STATUSES, value);
export const isOpenStatus = (value: unknown): value is OpenStatus => isOneOf(OPEN_STATUSES, value);
export const isTerminalStatus = (value: unknown): value is TerminalStatus =>
  isOneOf(TERMINAL_STATUSES, value);
