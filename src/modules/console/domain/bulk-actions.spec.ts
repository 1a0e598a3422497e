import { BULK_MAX, readBulk } from './bulk-actions';

describe('bulk actions', () => {
  it('reads a reply to several incidents, each once', () => {
    expect(
      readBulk({
        ref: ['INC-000001', 'inc-000002', 'INC-000001'],
        action: 'reply',
        text: 'Fixed now',
        back: '/console?queue=open',
      }),
    ).toEqual({
      ok: true,
      references: ['INC-000001', 'INC-000002'],
      action: 'reply',
      command: { kind: 'reply', body: 'Fixed now' },
      back: '/console?queue=open',
    });
  });

  it.each([
    [
      { action: 'assign', assignee: 'me', ref: 'INC-000003' },
      { kind: 'assign', assignee: 'me' },
    ],
    [
      { action: 'start', ref: 'INC-000003' },
      { kind: 'start', comment: null },
    ],
    [
      { action: 'hold_caller', ref: 'INC-000003', text: 'Asked for the room' },
      { kind: 'hold', on: 'awaiting_caller', reason: 'Asked for the room' },
    ],
    [
      { action: 'note', ref: 'INC-000003', text: 'Same fault' },
      { kind: 'note', body: 'Same fault' },
    ],
  ])('reads %j', (body, command) => {
    expect(readBulk(body)).toMatchObject({ ok: true, command });
  });

  it.each([
    [{ action: 'reply', text: 'x' }, 'bulk-refs'],
    [{ action: 'reply', text: 'x', ref: 'nonsense' }, 'bulk-refs'],
    [
      { action: 'reply', text: 'x', ref: Array.from({ length: BULK_MAX + 1 }, (_, i) => `INC-${i + 1}`) },
      'bulk-refs',
    ],
    [{ action: 'dance', ref: 'INC-000001' }, 'bulk-action'],
    [{ action: 'reply', ref: 'INC-000001', text: '  ' }, 'bulk-text'],
    [{ action: 'hold_supplier', ref: 'INC-000001', text: '' }, 'bulk-text'],
    [{ action: 'assign', ref: 'INC-000001', assignee: 'bob' }, 'bulk-assignee'],
  ])('refuses %j naming %s', (body, field) => {
    const read = readBulk(body);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problems.map((p) => p.field)).toContain(field);
  });

  it('goes back only to a console address', () => {
    expect(readBulk({ back: 'https://evil.example/' }).back).toBe('/console');
    expect(readBulk({ back: '/console?queue=mine' }).back).toBe('/console?queue=mine');
  });
});
