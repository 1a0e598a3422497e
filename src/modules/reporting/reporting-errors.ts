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

export function packNotFound(trust: string, month: string): DomainError {
  return new DomainError('REPORT.PACK_NOT_FOUND', `No frozen report of ${trust} for ${month}.`);
}

export function packUnchanged(version: number): DomainError {
  return new DomainError(
    'REPORT.PACK_UNCHANGED',
    `The report computed now is the same as version ${version}: nothing to issue.`,
  );
}

export function monthOpen(month: string): DomainError {
  return new DomainError('REPORT.MONTH_OPEN', `${month} is not closed yet: its report cannot be frozen.`, {
    field: 'month',
  });
}
