/**
 * Errors raised by the pure SLA domain. Each carries a stable `code` so the HTTP layer can map it in one
 * exhaustive switch (see STYLE.md "Services, errors, config").
 */

export type SlaDomainErrorCode =
  'SLA.CALENDAR_NEVER_OPENS' | 'SLA.INVALID_CALENDAR' | 'SLA.PAUSED_INDEFINITELY' | 'SLA.TARGET_NOT_FOUND';

export abstract class SlaDomainError extends Error {
  abstract readonly code: SlaDomainErrorCode;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The calendar has no open time at all, or none within the search horizon (about two years). */
export class CalendarNeverOpensError extends SlaDomainError {
  readonly code = 'SLA.CALENDAR_NEVER_OPENS' as const;

  constructor(
    readonly calendarCode: string,
    detail: string,
  ) {
    super(`Calendar "${calendarCode}" never opens: ${detail}`);
  }
}

/** The calendar value is malformed; `problems` names every fault found. */
export class InvalidCalendarError extends SlaDomainError {
  readonly code = 'SLA.INVALID_CALENDAR' as const;

  constructor(
    readonly calendarCode: string,
    readonly problems: readonly string[],
  ) {
    super(`Calendar "${calendarCode}" is invalid: ${problems.join('; ')}`);
  }
}

/**
 * The requested business time can never elapse because an open-ended pause (`to: null`) swallows all the
 * remaining open time. Close open pauses (e.g. at `now`) before asking for a due instant.
 */
export class PausedIndefinitelyError extends SlaDomainError {
  readonly code = 'SLA.PAUSED_INDEFINITELY' as const;

  constructor(
    readonly calendarCode: string,
    readonly pausedFrom: Date,
  ) {
    super(
      `Calendar "${calendarCode}": business time cannot elapse, paused indefinitely from ${pausedFrom.toISOString()}`,
    );
  }
}

/** No SLA target row for the (site class, priority) pair. */
export class SlaTargetNotFoundError extends SlaDomainError {
  readonly code = 'SLA.TARGET_NOT_FOUND' as const;

  constructor(
    readonly siteClass: string,
    readonly priority: string,
  ) {
    super(`No SLA target for site class "${siteClass}" and priority "${priority}"`);
  }
}
