import { DomainError } from '../../../common/errors/domain-error';

/**
 * Errors raised by the pure incident domain. Each carries a stable `code` that the HTTP layer maps to a
 * status in one exhaustive switch; `details` holds ids and decisions only, never message bodies or
 * patient data.
 */
export type IncidentErrorCode =
  | 'INCIDENT.NOT_FOUND'
  | 'INCIDENT.INVALID_TRANSITION'
  | 'INCIDENT.RESOLUTION_REQUIRED'
  | 'INCIDENT.REOPEN_WINDOW_EXPIRED'
  | 'INCIDENT.PRIORITY_REASON_REQUIRED'
  | 'INCIDENT.REPORTED_AT_IN_FUTURE';

export const INCIDENT_ERROR_CODES = [
  'INCIDENT.NOT_FOUND',
  'INCIDENT.INVALID_TRANSITION',
  'INCIDENT.RESOLUTION_REQUIRED',
  'INCIDENT.REOPEN_WINDOW_EXPIRED',
  'INCIDENT.PRIORITY_REASON_REQUIRED',
  'INCIDENT.REPORTED_AT_IN_FUTURE',
] as const satisfies readonly IncidentErrorCode[];

export class IncidentDomainError extends DomainError {
  declare readonly code: IncidentErrorCode;

  constructor(code: IncidentErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'IncidentDomainError';
  }
}
