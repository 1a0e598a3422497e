import {
  CHANNELS,
  IMPACTS,
  isChannel,
  isImpact,
  isIncidentStatus,
  isOnHoldStatus,
  isOpenStatus,
  isPriority,
  isResolutionCode,
  isTerminalStatus,
  isUrgency,
  ON_HOLD_STATUSES,
  OPEN_STATUSES,
  PRIORITIES,
  RESOLUTION_CODES,
  STATUSES,
  TERMINAL_STATUSES,
  URGENCIES,
} from './incident-enums';

describe('incident enums', () => {
  it('holds the pinned values in order', () => {
    expect(IMPACTS).toEqual(['site_down', 'several_users', 'one_user']);
    expect(URGENCIES).toEqual(['high', 'medium', 'low']);
    expect(PRIORITIES).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(CHANNELS).toEqual(['web', 'email', 'phone', 'sms', 'api']);
    expect(STATUSES).toEqual([
      'new',
      'assigned',
      'in_progress',
      'awaiting_caller',
      'awaiting_supplier',
      'resolved',
      'closed',
      'cancelled',
    ]);
  });

  it('splits the statuses into open, resolved and terminal with no overlap', () => {
    expect(ON_HOLD_STATUSES).toEqual(['awaiting_caller', 'awaiting_supplier']);
    expect(ON_HOLD_STATUSES.every((s) => (OPEN_STATUSES as readonly string[]).includes(s))).toBe(true);
    const partition = [...OPEN_STATUSES, 'resolved', ...TERMINAL_STATUSES];
    expect([...partition].sort()).toEqual([...STATUSES].sort());
    expect(new Set(partition).size).toBe(STATUSES.length);
  });

  it('has no duplicate resolution codes, all snake_case', () => {
    expect(new Set(RESOLUTION_CODES).size).toBe(RESOLUTION_CODES.length);
    for (const code of RESOLUTION_CODES) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it.each([
    ['isImpact', isImpact, IMPACTS, ['SITE_DOWN', 'site-down', '']],
    ['isUrgency', isUrgency, URGENCIES, ['High', 'critical']],
    ['isPriority', isPriority, PRIORITIES, ['p1', 'P5', 'P0']],
    ['isChannel', isChannel, CHANNELS, ['fax', 'Email']],
    ['isIncidentStatus', isIncidentStatus, STATUSES, ['on_hold', 'open']],
    ['isResolutionCode', isResolutionCode, RESOLUTION_CODES, ['solved', 'FIXED']],
    ['isOnHoldStatus', isOnHoldStatus, ON_HOLD_STATUSES, ['in_progress', 'on_hold']],
    ['isOpenStatus', isOpenStatus, OPEN_STATUSES, ['resolved', 'closed', 'cancelled']],
    ['isTerminalStatus', isTerminalStatus, TERMINAL_STATUSES, ['resolved', 'new']],
  ] as const)('%s accepts its values and nothing else', (_name, guard, good, bad) => {
    for (const value of good) expect(guard(value)).toBe(true);
    for (const value of [...bad, undefined, null, 1, {}, ['new']]) expect(guard(value)).toBe(false);
  });
});
