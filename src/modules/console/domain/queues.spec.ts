import {
  listFilter,
  participantFilters,
  queueHref,
  readQueueRequest,
  visibleQueues,
  type QueueSelection,
} from './queues';

const selection = (raw: Record<string, unknown>, isDesk = true): QueueSelection => {
  const read = readQueueRequest(raw, isDesk);
  if (!read.ok) throw new Error(JSON.stringify(read.problems));
  return read.selection;
};

describe('console queues', () => {
  it('opens on every open incident, by SLA urgency, and on any status for a search', () => {
    expect(selection({})).toMatchObject({ queue: 'open', sort: 'sla', q: null });
    expect(listFilter(selection({}), '0000')).toEqual({
      status: ['new', 'assigned', 'in_progress', 'awaiting_caller', 'awaiting_supplier'],
      sort: 'sla',
      limit: 50,
    });
    expect(listFilter(selection({ q: ' wifi ' }), '0000')).toEqual({
      q: 'wifi',
      sort: 'sla',
      limit: 50,
    });
  });

  it.each([
    ['mine', { assignee: 'me' }],
    ['unassigned', { assignee: 'none' }],
    ['breaching', { sla: 'breaching_within:60' }],
    ['triage', { site: '0000' }],
  ])('%s uses the list filter %j over open incidents', (queue, extra) => {
    const filter = listFilter(selection({ queue }), '0000');
    expect(filter).toMatchObject(extra);
    expect(filter.status).toHaveLength(5);
  });

  it('makes With suppliers from open incidents and the console filter on open escalations', () => {
    const s = selection({ queue: 'suppliers' });
    expect(listFilter(s, '0000').status).toHaveLength(5);
    expect(participantFilters(s.queue)).toEqual({ console_with_supplier: 'open' });
    expect(participantFilters('open')).toEqual({});
  });

  it('filters by assignee except where the queue chooses it', () => {
    const id = '0b0e7a4e-9d7c-4b3e-8f2a-1c2d3e4f5a6b';
    expect(listFilter(selection({ queue: 'open', assignee: id }), '0000').assignee).toBe(id);
    expect(listFilter(selection({ queue: 'breaching', assignee: 'none' }), '0000').assignee).toBe('none');
    expect(listFilter(selection({ queue: 'mine', assignee: 'none' }), '0000').assignee).toBe('me');
    expect(readQueueRequest({ assignee: 'bob' }, true)).toEqual({
      ok: false,
      problems: [{ field: 'assignee', message: 'not someone on the desk' }],
    });
    expect(queueHref(selection({ queue: 'open', assignee: 'me' }))).toBe('/console?queue=open&assignee=me');
    expect(queueHref(selection({ queue: 'mine', assignee: 'none' }))).toBe('/console?queue=mine');
  });

  it('puts both kinds of hold in On hold, or one of them', () => {
    expect(listFilter(selection({ queue: 'on_hold' }), '0000').status).toEqual([
      'awaiting_caller',
      'awaiting_supplier',
    ]);
    expect(listFilter(selection({ queue: 'on_hold', hold: 'caller' }), '0000').status).toEqual([
      'awaiting_caller',
    ]);
  });

  it('passes the filters and the cursor through, and leaves empty fields out', () => {
    const filter = listFilter(
      selection({
        queue: 'open',
        trust: 'LCFT',
        siteClass: 'prison',
        priority: 'P1',
        service: 'wireless',
        channel: 'email',
        sort: '-reportedAt',
        cursor: 'abc',
        q: '',
      }),
      '0000',
    );
    expect(filter).toMatchObject({
      trust: 'LCFT',
      siteClass: 'prison',
      priority: ['P1'],
      service: 'wireless',
      channel: 'email',
      sort: '-reportedAt',
      cursor: 'abc',
    });
    expect(filter).not.toHaveProperty('q');
  });

  it('names every bad value', () => {
    expect(readQueueRequest({ queue: 'nope', priority: 'P9', trust: 'a b', q: ['x', 'y'] }, true)).toEqual({
      ok: false,
      problems: [
        { field: 'q', message: 'give it once' },
        { field: 'queue', message: 'not a known queue' },
        { field: 'trust', message: 'not a trust code' },
        { field: 'priority', message: 'not a known priority' },
      ],
    });
  });

  it('keeps desk queues from trust managers and suppliers', () => {
    expect(visibleQueues(false)).toEqual(['breaching', 'on_hold', 'suppliers', 'open', 'any']);
    expect(readQueueRequest({ queue: 'mine' }, false)).toMatchObject({ ok: false });
  });

  it('writes a queue address without defaults', () => {
    const s = selection({ queue: 'open', priority: 'P2', cursor: 'c1' });
    expect(queueHref(s, { cursor: null })).toBe('/console?queue=open&priority=P2');
    expect(queueHref(s, { queue: 'on_hold', hold: 'caller', sort: 'reportedAt' })).toBe(
      '/console?queue=on_hold&priority=P2&hold=caller&sort=reportedAt&cursor=c1',
    );
  });
});
