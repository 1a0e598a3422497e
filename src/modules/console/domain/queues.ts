import { SITE_CLASSES, type SiteClassCode } from '../../directory/domain/site-classes';
import {
  CHANNELS,
  OPEN_STATUSES,
  PRIORITIES,
  type Channel,
  type IncidentStatus,
  type Priority,
} from '../../incidents/domain/incident-enums';

/** The queues (tabs) of the console's list. */
export const QUEUES = [
  'mine',
  'unassigned',
  'breaching',
  'on_hold',
  'suppliers',
  'triage',
  'open',
  'any',
] as const;
export type QueueKey = (typeof QUEUES)[number];

export const QUEUE_SORTS = ['sla', 'priority', '-reportedAt', 'reportedAt', '-updatedAt'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** "Breaching soon": a running clock due within this many business minutes. */
export const BREACHING_SOON_MINUTES = 60;

interface QueueDefinition {
  label: string;
  description: string;
  /** Shown to desk staff only (trust managers and suppliers have no work of their own). */
  deskOnly: boolean;
}

export const QUEUE_DEFINITIONS: Record<QueueKey, QueueDefinition> = {
  mine: { label: 'My work', description: 'Open incidents assigned to you.', deskOnly: true },
  unassigned: { label: 'Unassigned', description: 'Open incidents nobody has taken yet.', deskOnly: true },
  breaching: {
    label: 'Breaching soon',
    description: `Open incidents with a running SLA clock due within ${BREACHING_SOON_MINUTES} business minutes.`,
    deskOnly: false,
  },
  on_hold: {
    label: 'On hold',
    description: 'Waiting for the caller (clock paused) or for a supplier (clock running).',
    deskOnly: false,
  },
  suppliers: {
    label: 'With suppliers',
    description:
      'Open incidents a supplier is working on (an open escalation) or the desk is waiting for a supplier on.',
    deskOnly: false,
  },
  triage: {
    label: 'Needs triage',
    description: 'Email that could not be placed at a site: set the site before anything else.',
    deskOnly: true,
  },
  open: { label: 'All open', description: 'Every open incident.', deskOnly: false },
  any: {
    label: 'Any status',
    description: 'Every incident, resolved, closed and cancelled included.',
    deskOnly: false,
  },
};

export const SORT_LABELS: Record<QueueSort, string> = {
  sla: 'SLA urgency (breached first)',
  priority: 'Priority, then oldest',
  '-reportedAt': 'Newest first',
  reportedAt: 'Oldest first',
  '-updatedAt': 'Recently updated',
};

/** What a queue page shows: the queue, the search text, the filters, the sort and the page. */
export interface QueueSelection {
  queue: QueueKey;
  q: string | null;
  trust: string | null;
  siteClass: SiteClassCode | null;
  priority: Priority | null;
  service: string | null;
  channel: Channel | null;
  hold: 'caller' | 'supplier' | null;
  /** `me`, `none` (unassigned) or a user's id; not offered on My work and Unassigned, which choose it. */
  assignee: string | null;
  sort: QueueSort;
  cursor: string | null;
}

export interface FieldProblem {
  field: string;
  message: string;
}

export type QueueRequest = { ok: true; selection: QueueSelection } | { ok: false; problems: FieldProblem[] };

/** The incident list's filters (IncidentQueries.list takes these, as the API's `GET /api/incidents` does). */
export interface IncidentListFilter {
  status?: IncidentStatus[];
  assignee?: string;
  site?: string;
  sla?: string;
  trust?: string;
  siteClass?: SiteClassCode;
  priority?: Priority[];
  service?: string;
  channel?: Channel;
  q?: string;
  sort: QueueSort;
  cursor?: string;
  limit: number;
}

export const QUEUE_PAGE_SIZE = 50;

const CODE = /^[A-Za-z0-9_-]{1,16}$/;
const ASSIGNEE = /^(me|none|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The participant filter (ConsoleParticipant owns it) that makes "With suppliers". */
export const WITH_SUPPLIER_FILTER = 'console_with_supplier';
const SERVICE = /^[a-z0-9_]{2,32}$/;

function oneOf<T extends string>(values: readonly T[], value: string): T | undefined {
  return (values as readonly string[]).includes(value) ? (value as T) : undefined;
}

/**
 * Reads a queue page's query string (a GET form, so every value is a string or absent; a repeated name is
 * refused). Empty values mean "not filtered". Anything else that is not one of the known values is a problem
 * named by field. The default queue is "All open", or "Any status" for a search.
 */
export function readQueueRequest(raw: Record<string, unknown>, isDesk: boolean): QueueRequest {
  const problems: FieldProblem[] = [];
  const text = (field: string, max: number): string | null => {
    const value = raw[field];
    if (value === undefined) return null;
    if (typeof value !== 'string') {
      problems.push({ field, message: 'give it once' });
      return null;
    }
    const trimmed = value.trim();
    if (trimmed.length > max) problems.push({ field, message: `at most ${max} characters` });
    return trimmed === '' ? null : trimmed;
  };
  const pick = <T extends string>(field: string, values: readonly T[], what: string): T | null => {
    const value = text(field, 64);
    if (value === null) return null;
    const known = oneOf(values, value);
    if (!known) problems.push({ field, message: `not a known ${what}` });
    return known ?? null;
  };
  const q = text('q', 200);
  const queueText = pick('queue', QUEUES, 'queue');
  const queue = queueText ?? (q ? 'any' : 'open');
  if (!isDesk && QUEUE_DEFINITIONS[queue].deskOnly)
    problems.push({ field: 'queue', message: 'not a queue you can see' });
  const trust = text('trust', 16);
  if (trust !== null && !CODE.test(trust)) problems.push({ field: 'trust', message: 'not a trust code' });
  const service = text('service', 32);
  if (service !== null && !SERVICE.test(service))
    problems.push({ field: 'service', message: 'not a service code' });
  const assignee = text('assignee', 36);
  if (assignee !== null && !ASSIGNEE.test(assignee))
    problems.push({ field: 'assignee', message: 'not someone on the desk' });
  const selection: QueueSelection = {
    queue,
    q,
    trust,
    siteClass: pick('siteClass', SITE_CLASSES, 'site class'),
    priority: pick('priority', PRIORITIES, 'priority'),
    service,
    channel: pick('channel', CHANNELS, 'channel'),
    hold: pick('hold', ['caller', 'supplier'] as const, 'kind of hold'),
    assignee: assignee?.toLowerCase() ?? null,
    sort: pick('sort', QUEUE_SORTS, 'sort order') ?? 'sla',
    cursor: text('cursor', 1000),
  };
  return problems.length ? { ok: false, problems } : { ok: true, selection };
}

/** Whether the assignee filter applies to a queue (My work and Unassigned choose the assignee themselves). */
export function takesAssignee(queue: QueueKey): boolean {
  return queue !== 'mine' && queue !== 'unassigned';
}

/** The participants' filters a queue adds to its list filter (IncidentQueries.list's third argument). */
export function participantFilters(queue: QueueKey): Record<string, string> {
  return queue === 'suppliers' ? { [WITH_SUPPLIER_FILTER]: 'open' } : {};
}

/** The list filters that make a queue. */
export function listFilter(selection: QueueSelection, triageSiteCode: string): IncidentListFilter {
  const open: IncidentStatus[] = [...OPEN_STATUSES];
  const filter: IncidentListFilter = { sort: selection.sort, limit: QUEUE_PAGE_SIZE };
  switch (selection.queue) {
    case 'mine':
      Object.assign(filter, { status: open, assignee: 'me' });
      break;
    case 'unassigned':
      Object.assign(filter, { status: open, assignee: 'none' });
      break;
    case 'breaching':
      Object.assign(filter, { status: open, sla: `breaching_within:${BREACHING_SOON_MINUTES}` });
      break;
    case 'on_hold':
      filter.status =
        selection.hold === 'caller'
          ? ['awaiting_caller']
          : selection.hold === 'supplier'
            ? ['awaiting_supplier']
            : ['awaiting_caller', 'awaiting_supplier'];
      break;
    case 'suppliers':
      filter.status = open;
      break;
    case 'triage':
      Object.assign(filter, { status: open, site: triageSiteCode });
      break;
    case 'open':
      filter.status = open;
      break;
    case 'any':
      break;
  }
  if (selection.assignee && takesAssignee(selection.queue)) filter.assignee = selection.assignee;
  if (selection.trust) filter.trust = selection.trust;
  if (selection.siteClass) filter.siteClass = selection.siteClass;
  if (selection.priority) filter.priority = [selection.priority];
  if (selection.service) filter.service = selection.service;
  if (selection.channel) filter.channel = selection.channel;
  if (selection.q) filter.q = selection.q;
  if (selection.cursor) filter.cursor = selection.cursor;
  return filter;
}

/** The address of a queue page: the selection with some values changed; defaults and empties are left out. */
export function queueHref(selection: QueueSelection, change: Partial<QueueSelection> = {}): string {
  const s = { ...selection, ...change };
  const params = new URLSearchParams();
  params.set('queue', s.queue);
  const optional: [string, string | null][] = [
    ['q', s.q],
    ['trust', s.trust],
    ['siteClass', s.siteClass],
    ['priority', s.priority],
    ['service', s.service],
    ['channel', s.channel],
    ['hold', s.queue === 'on_hold' ? s.hold : null],
    ['assignee', takesAssignee(s.queue) ? s.assignee : null],
    ['sort', s.sort === 'sla' ? null : s.sort],
    ['cursor', s.cursor],
  ];
  for (const [name, value] of optional) if (value) params.set(name, value);
  return `/console?${params.toString()}`;
}

/** The queues a user's tabs show. */
export function visibleQueues(isDesk: boolean): QueueKey[] {
  return QUEUES.filter((q) => isDesk || !QUEUE_DEFINITIONS[q].deskOnly);
}
