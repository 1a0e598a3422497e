import { DomainError } from '../../../common/errors/domain-error';

export function subscriptionNotFound(): DomainError {
  return new DomainError('REPORT.SUBSCRIPTION_NOT_FOUND', 'No such report subscription.');
}

/** A subscription that cannot be: the field at fault and why (422). */
export function subscriptionInvalid(field: string, reason: string): DomainError {
  return new DomainError('REPORT.SUBSCRIPTION_INVALID', `${field}: ${reason}`, { field, reason });
}
