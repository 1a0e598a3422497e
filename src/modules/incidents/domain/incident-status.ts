import { IncidentStatus, isResolutionCode, RESOLUTION_CODES, ResolutionCode } from './incident-enums';
import { IncidentDomainError } from './incident-errors';

const MS_PER_MINUTE = 60_000;

/**
 * The status graph. `awaiting_caller` and `awaiting_supplier` are the two kinds of on-hold.
 * `resolved → in_progress` is a reopen and is allowed only inside the reopen window; closed and cancelled are
 * final.
 */
const TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = Object.freeze({
  new: ['assigned', 'in_progress', 'awaiting_caller', 'awaiting_supplier', 'resolved', 'cancelled'],
  assigned: ['new', 'in_progress', 'awaiting_caller', 'awaiting_supplier', 'resolved', 'cancelled'],
  in_progress: ['assigned', 'awaiting_caller', 'awaiting_supplier', 'resolved', 'cancelled'],
  awaiting_caller: ['assigned', 'in_progress', 'awaiting_supplier', 'resolved', 'cancelled'],
  awaiting_supplier: ['assigned', 'in_progress', 'awaiting_caller', 'resolved', 'cancelled'],
  resolved: ['in_progress', 'closed'],
  closed: [],
  cancelled: [],
});

/** Every status the graph allows from `from`, ignoring the reopen window. A fresh array each call. */
export function allowedTransitions(from: IncidentStatus): IncidentStatus[] {
  return [...TRANSITIONS[from]];
}

export interface Resolution {
  readonly code: ResolutionCode;
  /** Trimmed, non-blank. */
  readonly notes: string;
}

export interface TransitionInput {
  readonly from: IncidentStatus;
  readonly to: IncidentStatus;
  /** When the incident was resolved; null unless `from` is `resolved`. */
  readonly resolvedAt: Date | null;
  readonly now: Date;
  readonly reopenWindowMinutes: number;
  /** Required (valid code, non-blank notes) when `to` is `resolved`; ignored otherwise. Unvalidated input. */
  readonly resolution?: { readonly code: string; readonly notes: string } | null;
}

export interface TransitionEffects {
  /** Resolving: stamp the resolution time. */
  readonly setResolvedAt?: Date;
  /** Resolving: the validated resolution to store. */
  readonly setResolution?: Resolution;
  /** Reopening: clear resolvedAt, resolution code and notes. */
  readonly clearResolution?: boolean;
  /** Closing: stamp the close time. */
  readonly setClosedAt?: Date;
  /** Reopening: count it (reporting shows the reopen rate). */
  readonly reopened?: boolean;
}

export type TransitionRefusalCode =
  'INCIDENT.INVALID_TRANSITION' | 'INCIDENT.RESOLUTION_REQUIRED' | 'INCIDENT.REOPEN_WINDOW_EXPIRED';

export interface TransitionAccepted {
  readonly ok: true;
  readonly to: IncidentStatus;
  readonly effects: TransitionEffects;
}

export interface TransitionRefused {
  readonly ok: false;
  readonly code: TransitionRefusalCode;
  readonly message: string;
  /** What can be done from `from` right now: the graph's targets, less the reopen once its window has passed. */
  readonly allowed: IncidentStatus[];
}

export type TransitionDecision = TransitionAccepted | TransitionRefused;

function assertMinutes(name: string, minutes: number): void {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`${name} must be a finite number of minutes >= 0, got ${minutes}`);
  }
}

function assertDate(name: string, date: Date): void {
  if (Number.isNaN(date.getTime())) throw new RangeError(`${name} is an invalid Date`);
}

/**
 * True while a resolved incident may still be reopened: `now - resolvedAt <= reopenWindowMinutes` (inclusive).
 * A resolved incident with no `resolvedAt` (inconsistent data) cannot prove it is inside the window: false.
 */
function insideReopenWindow(resolvedAt: Date | null, now: Date, reopenWindowMinutes: number): boolean {
  if (resolvedAt === null) return false;
  return now.getTime() - resolvedAt.getTime() <= reopenWindowMinutes * MS_PER_MINUTE;
}

function refuse(code: TransitionRefusalCode, message: string, allowed: IncidentStatus[]): TransitionRefused {
  return { ok: false, code, message, allowed };
}

/**
 * Decides a status change. Pure: the caller applies `effects` and saves. Checks, in order:
 * the graph (same-state is never a transition), then the resolution when resolving, then the reopen window
 * when reopening. Throws RangeError only for programmer errors (invalid Date, negative or non-finite window).
 */
export function decideTransition(input: TransitionInput): TransitionDecision {
  const { from, to, resolvedAt, now, reopenWindowMinutes } = input;
  assertDate('now', now);
  if (resolvedAt !== null) assertDate('resolvedAt', resolvedAt);
  assertMinutes('reopenWindowMinutes', reopenWindowMinutes);

  const graph = TRANSITIONS[from];
  const canReopen = from !== 'resolved' || insideReopenWindow(resolvedAt, now, reopenWindowMinutes);
  const allowed = graph.filter((status) => canReopen || status !== 'in_progress');

  if (!graph.includes(to)) {
    const options = allowed.length === 0 ? `${from} is final` : `allowed: ${allowed.join(', ')}`;
    return refuse(
      'INCIDENT.INVALID_TRANSITION',
      `Cannot move an incident from ${from} to ${to} (${options})`,
      allowed,
    );
  }

  if (to === 'resolved') {
    const code = input.resolution?.code;
    const rawNotes = input.resolution?.notes;
    const notes = typeof rawNotes === 'string' ? rawNotes.trim() : '';
    if (!isResolutionCode(code) || notes === '') {
      const problem = !isResolutionCode(code)
        ? `a resolution code (one of ${RESOLUTION_CODES.join(', ')})`
        : 'resolution notes';
      return refuse('INCIDENT.RESOLUTION_REQUIRED', `Resolving an incident needs ${problem}`, allowed);
    }
    return { ok: true, to, effects: { setResolvedAt: now, setResolution: { code, notes } } };
  }

  if (from === 'resolved' && to === 'in_progress') {
    if (!canReopen) {
      return refuse(
        'INCIDENT.REOPEN_WINDOW_EXPIRED',
        `The incident was resolved more than ${reopenWindowMinutes} minutes ago and can no longer be reopened`,
        allowed,
      );
    }
    return { ok: true, to, effects: { clearResolution: true, reopened: true } };
  }

  if (to === 'closed') return { ok: true, to, effects: { setClosedAt: now } };

  return { ok: true, to, effects: {} };
}

/** The domain error for a refused transition, for services that throw rather than branch. */
export function transitionRefusedError(refusal: TransitionRefused): IncidentDomainError {
  return new IncidentDomainError(refusal.code, refusal.message, { allowed: refusal.allowed });
}

/** When a resolved incident closes on its own: `autoCloseMinutes` wall-clock minutes after it was resolved. */
export function autoCloseAt(resolvedAt: Date, autoCloseMinutes: number): Date {
  assertDate('resolvedAt', resolvedAt);
  assertMinutes('autoCloseMinutes', autoCloseMinutes);
  return new Date(resolvedAt.getTime() + autoCloseMinutes * MS_PER_MINUTE);
}

export interface AutoCloseInput {
  readonly status: IncidentStatus;
  readonly resolvedAt: Date | null;
  readonly now: Date;
  readonly autoCloseMinutes: number;
}

/** True when a resolved incident is due to close: `now >= autoCloseAt(resolvedAt)` (inclusive). */
export function shouldAutoClose(input: AutoCloseInput): boolean {
  const { status, resolvedAt, now, autoCloseMinutes } = input;
  assertDate('now', now);
  assertMinutes('autoCloseMinutes', autoCloseMinutes);
  if (status !== 'resolved' || resolvedAt === null) return false;
  return now.getTime() >= autoCloseAt(resolvedAt, autoCloseMinutes).getTime();
}
