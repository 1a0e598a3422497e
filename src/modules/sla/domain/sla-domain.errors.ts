import { DomainError } from '../../../common/errors/domain-error';

/**
 * Errors raised by the pure SLA domain. Each is a `DomainError` with a stable `code`, so the one error filter
 * maps it to an HTTP status (see `src/common/errors/error-codes.ts`); `details` holds codes and dates only.
 */

export type SlaDomainErrorCode =
  'SLA.CALENDAR_NEVER_OPENS' | 'SLA.INVALID_CALENDAR' | 'SLA.PAUSED_INDEFINITELY' | 'SLA.TARGET_NOT_FOUND';

export abstract class SlaDomainError extends DomainError {
  declare readonly code: SlaDomainErrorCode;

  protected constructor(code: SlaDomainErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = new.target.name;
  }
}

/** The calendar has no open time at all, or none within the search horizon (about two years). */
export class CalendarNeverOpensError extends SlaDomainError {
  declare readonly code: 'SLA.CALENDAR_NEVER_OPENS';

  constructor(
    readonly calendarCode: string,
    detail: string,
  ) {
    super('SLA.CALENDAR_NEVER_OPENS', `Calendar "${calendarCode}" never opens: ${detail}`, {
      calendar: calendarCode,
    });
  }
}

/** The calendar value is malformed; `problems` names every fault found. */
export class InvalidCalendarError extends SlaDomainError {
  declare readonly code: 'SLA.INVALID_CALENDAR';

  constructor(
    readonly calendarCode: string,
    readonly problems: readonly string[],
  ) {
    super('SLA.INVALID_CALENDAR', `Calendar "${calendarCode}" is invalid: ${problems.join('; ')}`, {
      calendar: calendarCode,
      problems: [...problems],
    });
  }
}

/**
 * The requested business time can never elapse because an open-ended pause (`to: null`) swallows all the
 * remaining open time. Close open pauses (e.g. at `now`) before asking for a due instant.
 */
export class PausedIndefinitelyError extends SlaDomainError {
  declare readonly code: 'SLA.PAUSED_INDEFINITELY';

  constructor(
    readonly calendarCode: string,
    readonly pausedFrom: Date,
  ) {
    super(
      'SLA.PAUSED_INDEFINITELY',
      `Calendar "${calendarCode}": business time cannot elapse, paused indefinitely from ${pausedFrom.toISOString()}`,
      { calendar: calendarCode, pausedFrom: pausedFrom.toISOString() },
    );
  }
}

/** No SLA target row for the (site class, priority) pair. */
export class SlaTargetNotFoundError extends SlaDomainError {
  declare readonly code: 'SLA.TARGET_NOT_FOUND';

  constructor(
    readonly siteClass: string,
    readonly priority: string,
  ) {
    super('SLA.TARGET_NOT_FOUND', `No SLA target for site class "${siteClass}" and priority "${priority}"`, {
      siteClass,
      priority,
    });
  }
}
