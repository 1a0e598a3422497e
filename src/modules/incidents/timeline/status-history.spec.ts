import { parseStatusHistory, STATUS_EVENTS, statusEventData, statusHistorySql } from './status-history';

describe('the status history contract', () => {
  it('writes from, to and the desk clock instant, and the resolution code when there is one', () => {
    const at = new Date('2026-12-01T10:00:00.000Z');
    expect(statusEventData('new', 'assigned', at)).toEqual({
      from: 'new',
      to: 'assigned',
      at: '2026-12-01T10:00:00.000Z',
    });
    expect(statusEventData('in_progress', 'resolved', at, 'fixed')).toEqual({
      from: 'in_progress',
      to: 'resolved',
      at: '2026-12-01T10:00:00.000Z',
      resolution: 'fixed',
    });
  });

  it('reads back what the SQL selects, skipping events without a status', () => {
    expect(
      parseStatusHistory([
        { status: 'assigned', at: '2026-12-01T10:00:00.123+00:00' },
        { status: null, at: '2026-12-01T10:01:00+00:00' },
        { status: 'awaiting_caller', at: '2026-12-01T11:00:00+00:00' },
      ]),
    ).toEqual([
      { status: 'assigned', at: new Date('2026-12-01T10:00:00.123Z') },
      { status: 'awaiting_caller', at: new Date('2026-12-01T11:00:00Z') },
    ]);
  });

  it('selects exactly the status events', () => {
    const sql = statusHistorySql('$1');
    for (const type of STATUS_EVENTS) expect(sql).toContain(`'${type}'`);
    expect(sql).toContain('e.incident_id = $1');
  });
});
