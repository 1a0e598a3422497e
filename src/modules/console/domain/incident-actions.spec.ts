import { readIncidentAction } from './incident-actions';

describe('incident page forms', () => {
  it('reads a reply and a note, trimmed', () => {
    expect(readIncidentAction('reply', { body: '  On our way.  ' })).toEqual({
      ok: true,
      command: { kind: 'reply', body: 'On our way.' },
    });
    expect(readIncidentAction('note', { body: 'VMB ref 123' })).toMatchObject({ ok: true });
  });

  it('refuses an empty reply, naming the field and keeping what was typed', () => {
    expect(readIncidentAction('reply', { body: '   ' })).toEqual({
      ok: false,
      problems: [{ field: 'reply-body', message: 'Enter the reply' }],
      values: { body: '   ' },
    });
  });

  it('needs a reason for a priority change', () => {
    expect(readIncidentAction('priority', { priority: 'P1', reason: '' })).toMatchObject({
      ok: false,
      problems: [{ field: 'priority-reason', message: 'Enter the reason for the change' }],
    });
    expect(readIncidentAction('priority', { priority: 'P7', reason: 'ward closed' })).toMatchObject({
      ok: false,
      problems: [{ field: 'priority-priority' }],
    });
    expect(readIncidentAction('priority', { priority: 'P1', reason: 'Ward closed' })).toEqual({
      ok: true,
      command: { kind: 'priority', priority: 'P1', reason: 'Ward closed' },
    });
  });

  it('reads assignment to me, to nobody or to a user id', () => {
    expect(readIncidentAction('assign', { assignee: 'me' })).toMatchObject({ ok: true });
    expect(readIncidentAction('assign', { assignee: 'none' })).toMatchObject({ ok: true });
    expect(readIncidentAction('assign', { assignee: '5b2f3c9e-4a43-4a55-9df0-6f0c1b2a7c11' })).toMatchObject({
      ok: true,
    });
    expect(readIncidentAction('assign', { assignee: 'bob' })).toMatchObject({ ok: false });
  });

  it('needs who a hold waits for and why', () => {
    expect(
      readIncidentAction('hold', { on: 'awaiting_caller', reason: 'Asked for the room number' }),
    ).toEqual({
      ok: true,
      command: { kind: 'hold', on: 'awaiting_caller', reason: 'Asked for the room number' },
    });
    expect(readIncidentAction('hold', { on: 'resolved', reason: '' })).toMatchObject({
      ok: false,
      problems: [{ field: 'hold-on' }, { field: 'hold-reason' }],
    });
  });

  it('needs a code and notes to resolve, and a reason to cancel', () => {
    expect(readIncidentAction('resolve', { code: 'fixed', notes: 'Rebooted the AP' })).toMatchObject({
      ok: true,
    });
    expect(readIncidentAction('resolve', { code: 'magic', notes: '' })).toMatchObject({
      ok: false,
      problems: [{ field: 'resolve-code' }, { field: 'resolve-notes' }],
    });
    expect(readIncidentAction('cancel', { reason: 'x' })).toMatchObject({
      ok: false,
      problems: [
        { field: 'cancel-reason', message: 'The reason for cancelling must be at least 3 characters' },
      ],
    });
  });

  it('takes an optional comment when starting work or reopening', () => {
    expect(readIncidentAction('start', {})).toEqual({ ok: true, command: { kind: 'start', comment: null } });
    expect(readIncidentAction('reopen', { comment: 'Still down' })).toEqual({
      ok: true,
      command: { kind: 'reopen', comment: 'Still down' },
    });
  });
});
