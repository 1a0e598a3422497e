import { DomainError } from '../../../common/errors/domain-error';
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
      422,
    ],
    [new InvalidCalendarError('bad', ['a', 'b']), 'SLA.INVALID_CALENDAR', 'InvalidCalendarError', 422],
    [
      new PausedIndefinitelyError('gp_core', new Date('2010-12-24T17:00:00Z')),
      'SLA.PAUSED_INDEFINITELY',
      'PausedIndefinitelyError',
      409,
    ],
    [new SlaTargetNotFoundError('other', 'P9'), 'SLA.TARGET_NOT_FOUND', 'SlaTargetNotFoundError', 404],
  ])('%s carries code %s and maps to an HTTP status as a DomainError', (error, code, name, status) => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(SlaDomainError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(error.status).toBe(status);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('lists every calendar problem in the message', () => {
    const error = new InvalidCalendarError('bad', ['zone is wrong', 'week[1] overlaps']);
    expect(error.message).toContain('zone is wrong');
    expect(error.message).toContain('week[1] overlaps');
    expect(error.problems).toEqual(['zone is wrong', 'week[1] overlaps']);
    expect(error.details).toEqual({ calendar: 'bad', problems: ['zone is wrong', 'week[1] overlaps'] });
  });
});
