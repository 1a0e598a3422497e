import {
  PRIORITIES,
  RESOLUTION_CODES,
  type Priority,
  type ResolutionCode,
} from '../../incidents/domain/incident-enums';
import type { FieldProblem } from './queues';

/** What an incident page's forms ask for, once read and checked. */
export type IncidentCommand =
  | { kind: 'reply'; body: string }
  | { kind: 'note'; body: string }
  /** `me`, `none` (unassign) or a user id. */
  | { kind: 'assign'; assignee: string }
  | { kind: 'priority'; priority: Priority; reason: string }
  | { kind: 'start' | 'reopen'; comment: string | null }
  | { kind: 'hold'; on: 'awaiting_caller' | 'awaiting_supplier'; reason: string }
  | { kind: 'resolve'; code: ResolutionCode; notes: string }
  | { kind: 'cancel'; reason: string }
  | { kind: 'escalate'; supplier: string; reason: string }
  /** Deliver a failed escalation again (escalation's manual retry). */
  | { kind: 'retry'; escalation: string };

export const INCIDENT_ACTIONS = [
  'reply',
  'note',
  'assign',
  'priority',
  'start',
  'reopen',
  'hold',
  'resolve',
  'cancel',
  'escalate',
  'retry',
] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

export const isIncidentAction = (value: string): value is IncidentAction =>
  (INCIDENT_ACTIONS as readonly string[]).includes(value);

/** Every action but a public reply is desk work; trust managers and suppliers may only add a public comment. */
export const READER_ACTIONS: readonly IncidentAction[] = ['reply'];

export type ReadOutcome =
  | { ok: true; command: IncidentCommand }
  | { ok: false; problems: FieldProblem[]; values: Record<string, string> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads one action form. Field names in problems are the ids of the form's inputs (`{action}-{field}`), so
 * the error summary links to them. Values are echoed back so a refused form keeps what was typed.
 */
export function readIncidentAction(action: IncidentAction, body: Record<string, unknown>): ReadOutcome {
  const values: Record<string, string> = {};
  const problems: FieldProblem[] = [];
  const field = (name: string): string => {
    const raw = body[name];
    const value = typeof raw === 'string' ? raw : '';
    values[name] = value;
    return value.trim();
  };
  const required = (name: string, label: string, min: number, max: number): string => {
    const value = field(name);
    if (value.length === 0) problems.push({ field: `${action}-${name}`, message: `Enter ${label}` });
    else if (value.length < min)
      problems.push({
        field: `${action}-${name}`,
        message: `${capitalise(label)} must be at least ${min} characters`,
      });
    else if (value.length > max)
      problems.push({
        field: `${action}-${name}`,
        message: `${capitalise(label)} must be ${max} characters or fewer`,
      });
    return value;
  };
  const optional = (name: string, label: string, max: number): string | null => {
    const value = field(name);
    if (value.length > max)
      problems.push({
        field: `${action}-${name}`,
        message: `${capitalise(label)} must be ${max} characters or fewer`,
      });
    return value === '' ? null : value;
  };
  const done = (command: IncidentCommand): ReadOutcome =>
    problems.length ? { ok: false, problems, values } : { ok: true, command };

  switch (action) {
    case 'reply':
      return done({ kind: 'reply', body: required('body', 'the reply', 1, 20_000) });
    case 'note':
      return done({ kind: 'note', body: required('body', 'the note', 1, 20_000) });
    case 'assign': {
      const assignee = field('assignee');
      if (assignee !== 'me' && assignee !== 'none' && !UUID.test(assignee))
        problems.push({ field: 'assign-assignee', message: 'Choose who to assign the incident to' });
      return done({ kind: 'assign', assignee });
    }
    case 'priority': {
      const priority = field('priority');
      if (!(PRIORITIES as readonly string[]).includes(priority))
        problems.push({ field: 'priority-priority', message: 'Choose a priority' });
      const reason = required('reason', 'the reason for the change', 3, 1000);
      return done({ kind: 'priority', priority: priority as Priority, reason });
    }
    case 'start':
    case 'reopen':
      return done({ kind: action, comment: optional('comment', 'the comment', 2000) });
    case 'hold': {
      const on = field('on');
      if (on !== 'awaiting_caller' && on !== 'awaiting_supplier')
        problems.push({ field: 'hold-on', message: 'Choose who the incident is waiting for' });
      const reason = required('reason', 'the reason for the hold', 3, 2000);
      return done({ kind: 'hold', on: on as 'awaiting_caller' | 'awaiting_supplier', reason });
    }
    case 'resolve': {
      const code = field('code');
      if (!(RESOLUTION_CODES as readonly string[]).includes(code))
        problems.push({ field: 'resolve-code', message: 'Choose a resolution code' });
      const notes = required('notes', 'the resolution notes', 1, 5000);
      return done({ kind: 'resolve', code: code as ResolutionCode, notes });
    }
    case 'cancel':
      return done({ kind: 'cancel', reason: required('reason', 'the reason for cancelling', 3, 2000) });
    case 'escalate': {
      const supplier = field('supplier');
      if (!/^[a-z0-9_]{2,32}$/.test(supplier))
        problems.push({ field: 'escalate-supplier', message: 'Choose a supplier' });
      const reason = required('reason', 'why you escalate', 3, 2000);
      return done({ kind: 'escalate', supplier, reason });
    }
    case 'retry': {
      const escalation = field('escalation');
      if (!UUID.test(escalation))
        problems.push({ field: 'retry-escalation', message: 'Choose the escalation to retry' });
      return done({ kind: 'retry', escalation });
    }
  }
}

/** The confirmation shown after a successful action (the page is fetched again with `?done=`). */
export const DONE_MESSAGES: Record<IncidentAction, string> = {
  reply: 'Reply sent.',
  note: 'Internal note added.',
  assign: 'Assignment saved.',
  priority: 'Priority changed.',
  start: 'Work started.',
  reopen: 'Incident reopened.',
  hold: 'Incident put on hold.',
  resolve: 'Incident resolved.',
  cancel: 'Incident cancelled.',
  escalate: 'Escalated to the supplier.',
  retry: 'Delivery to the supplier retried.',
};

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
