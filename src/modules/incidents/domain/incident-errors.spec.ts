import { DomainError } from '../../../common/errors/domain-error';
import { INCIDENT_ERROR_CODES, IncidentDomainError, IncidentErrorCode } from './incident-errors';

describe('IncidentDomainError', () => {
  it('carries code, message and details and is an Error', () => {
    const error = new IncidentDomainError('INCIDENT.NOT_FOUND', 'Incident INC-000123 not found', {
      reference: 'INC-000123',
    });

    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(IncidentDomainError);
    expect(error.name).toBe('IncidentDomainError');
    expect(error.code).toBe('INCIDENT.NOT_FOUND');
    expect(error.message).toBe('Incident INC-000123 not found');
    expect(error.details).toEqual({ reference: 'INC-000123' });
    expect(error.stack).toContain('IncidentDomainError');
  });

  it('has empty details when none are given, and maps to its HTTP status as a DomainError', () => {
    const error = new IncidentDomainError('INCIDENT.NOT_FOUND', 'x');
    expect(error.details).toEqual({});
    expect(error).toBeInstanceOf(DomainError);
    expect(error.status).toBe(404);
  });

  it('lists every code exactly once', () => {
    // Compile-time exhaustiveness: adding a code to the union without listing it fails this assignment.
    const all: Record<IncidentErrorCode, true> = {
      'INCIDENT.NOT_FOUND': true,
      'INCIDENT.INVALID_TRANSITION': true,
      'INCIDENT.RESOLUTION_REQUIRED': true,
      'INCIDENT.REOPEN_WINDOW_EXPIRED': true,
      'INCIDENT.PRIORITY_REASON_REQUIRED': true,
      'INCIDENT.REPORTED_AT_IN_FUTURE': true,
    };
    expect([...INCIDENT_ERROR_CODES].sort()).toEqual(Object.keys(all).sort());
  });
});
