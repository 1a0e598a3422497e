import { DomainError } from '../../common/errors/domain-error';
import { validationFailed } from '../../common/http/validation';
import type { PeriodProblem } from './domain/report-period';

/** A trust that does not exist, or that the caller may not report on: the same 404, so codes cannot be probed. */
export function reportTrustNotFound(code: string): DomainError {
  return new DomainError('REPORT.TRUST_NOT_FOUND', `No trust ${JSON.stringify(code)} to report on.`, {
    field: 'trust',
  });
}

export function invalidPeriod(problem: PeriodProblem): DomainError {
  return validationFailed([{ field: problem.field, reasons: [problem.reason] }]);
}
