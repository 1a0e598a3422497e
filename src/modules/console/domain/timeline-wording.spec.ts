import { systemEventText } from './timeline-wording';

describe('timeline wording for the desk', () => {
  it.each([
    ['created', null, 'Incident logged'],
    ['assigned', { to: 'Sam Agent' }, 'Assigned to Sam Agent'],
    ['priority_changed', { from: 'P3', to: 'P1' }, 'Priority P3 → P1'],
    ['status_changed', { from: 'new', to: 'awaiting_caller' }, 'Status New → On hold: caller'],
    [
      'status_changed',
      { from: 'in_progress', to: 'resolved', resolution: 'fixed' },
      'Status In progress → Resolved (Fixed)',
    ],
    ['sla_warning', { target: 'response', level: 75 }, 'SLA warning: Response at 75 %'],
    [
      'sla_breached',
      { target: 'resolution', dueAt: '2010-12-31T17:00:00.000Z' },
      'SLA breached: Resolution (due Fri 31 Dec 2010, 17:00)',
    ],
    ['fields_changed', { fields: ['siteId', 'serviceId'] }, 'Changed siteId, serviceId'],
  ] as const)('%s %j', (event, data, text) => {
    expect(systemEventText(event, data)).toBe(text);
  });

  it('never trusts unexpected data', () => {
    expect(systemEventText('priority_changed', { from: '<b>', to: 1 })).toBe('Priority changed');
    expect(systemEventText('sla_warning', { target: 'x' })).toBe('SLA warning: a target at ? %');
  });
});
