import { DomainError } from '../../common/errors/domain-error';

/** Errors of the SLA services (the pure domain's own errors live in domain/sla-domain.errors.ts). */

export function unknownCalendar(code: string, field = 'calendar'): DomainError {
  return new DomainError('SLA.UNKNOWN_CALENDAR', `${field}: no calendar with code ${JSON.stringify(code)}`, {
    field,
    value: code,
  });
}

export function overrideNotFound(date: string): DomainError {
  return new DomainError('SLA.OVERRIDE_NOT_FOUND', `No bank-holiday override on ${date}`, { date });
}
