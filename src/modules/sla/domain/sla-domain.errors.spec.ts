import {
  CalendarNeverOpensError,
  InvalidCalendarError,
  PausedIndefinitelyError,
  SlaDomainError,
  SlaTargetNotFoundError,
} from './sla-domain.errors';

describe('SLA domain errors', () => {
  it.each([
    [
      new CalendarNeverOpensError('closed', 'no weekday opens'),
      'SLA.CALENDAR_NEVER_OPENS',
      'CalendarNeverOpensError',
    ],
    [new InvalidCalendarError('bad', ['a', 'b']), 'SLA.INVALID_CALENDAR', 'InvalidCalendarError'],
    [
      new PausedIndefinitelyError('gp_core', new Date('2010-12-24T17:00:00Z')),
      'SLA.PAUSED_INDEFINITELY',
      'PausedIndefinitelyError',
    ],
    [new SlaTargetNotFoundError('other', 'P9'), 'SLA.TARGET_NOT_FOUND', 'SlaTargetNotFoundError'],
  ])('%s carries code %s', (error, code, name) => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(SlaDomainError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('lists every calendar problem in the message', () => {
    const error = new InvalidCalendarError('bad', ['zone is wrong', 'week[1] overlaps']);
    expect(error.message).toContain('zone is wrong');
    expect(error.message).toContain('week[1] overlaps');
    expect(error.problems).toEqual(['zone is wrong', 'week[1] overlaps']);
  });
});
