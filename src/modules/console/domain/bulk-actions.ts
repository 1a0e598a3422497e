import { parseReference } from '../../incidents/domain/incident-reference';
import { readIncidentAction, type IncidentAction, type IncidentCommand } from './incident-actions';
import type { FieldProblem } from './queues';

/** What a bulk form can do to the selected rows of a queue. */
export const BULK_ACTIONS = ['assign', 'start', 'hold_caller', 'hold_supplier', 'note', 'reply'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export const BULK_LABELS: Record<BulkAction, string> = {
  assign: 'Assign',
  start: 'Start work',
  hold_caller: 'Put on hold: waiting for the caller',
  hold_supplier: 'Put on hold: waiting for a supplier',
  note: 'Add an internal note',
  reply: 'Reply to each reporter',
};

/** At most this many incidents in one bulk action (a queue page). */
export const BULK_MAX = 50;

export type BulkRead =
  | { ok: true; references: string[]; action: BulkAction; command: IncidentCommand; back: string }
  | { ok: false; problems: FieldProblem[]; back: string };

/**
 * Reads a queue's bulk form: the selected references (`ref`, once each, at most BULK_MAX), the action and its
 * text (`text`: the reply, the note or the reason for a hold) or assignee, checked as the incident page's own
 * forms are (readIncidentAction), and where to go back to (`back`, a console queue address).
 */
export function readBulk(body: Record<string, unknown>): BulkRead {
  const problems: FieldProblem[] = [];
  const backRaw = typeof body.back === 'string' ? body.back : '';
  const back = /^\/console(\?[^\s<>"]*)?$/.test(backRaw) && backRaw.length <= 2000 ? backRaw : '/console';
  const raw = body.ref;
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (r): r is string => typeof r === 'string',
  );
  const references = [...new Set(list.map((r) => r.trim().toUpperCase()))];
  if (references.length === 0) problems.push({ field: 'bulk-refs', message: 'Select at least one incident' });
  else if (references.length > BULK_MAX)
    problems.push({ field: 'bulk-refs', message: `Select at most ${BULK_MAX} incidents` });
  else if (references.some((r) => parseReference(r) === null))
    problems.push({ field: 'bulk-refs', message: 'One of the selected rows is not an incident reference' });
  const actionRaw = typeof body.action === 'string' ? body.action : '';
  const action = (BULK_ACTIONS as readonly string[]).includes(actionRaw) ? (actionRaw as BulkAction) : null;
  if (!action) {
    problems.push({ field: 'bulk-action', message: 'Choose what to do' });
    return { ok: false, problems, back };
  }
  const text = typeof body.text === 'string' ? body.text : '';
  const [single, fields]: [IncidentAction, Record<string, unknown>] =
    action === 'assign'
      ? ['assign', { assignee: body.assignee }]
      : action === 'start'
        ? ['start', { comment: text }]
        : action === 'hold_caller' || action === 'hold_supplier'
          ? ['hold', { on: action === 'hold_caller' ? 'awaiting_caller' : 'awaiting_supplier', reason: text }]
          : [action, { body: text }];
  const read = readIncidentAction(single, fields);
  if (!read.ok)
    problems.push(
      ...read.problems.map((p) => ({
        field: p.field.endsWith('-assignee') ? 'bulk-assignee' : 'bulk-text',
        message: p.message,
      })),
    );
  if (problems.length > 0 || !read.ok) return { ok: false, problems, back };
  return { ok: true, references, action, command: read.command, back };
}
