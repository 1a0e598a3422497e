import { DomainError } from '../../common/errors/domain-error';

export function notFound(kind: string, code: string): DomainError {
  return new DomainError('DIRECTORY.NOT_FOUND', `No ${kind} with code ${JSON.stringify(code)}.`);
}

export function codeTaken(kind: string, code: string): DomainError {
  return new DomainError(
    'DIRECTORY.CODE_TAKEN',
    `A ${kind} with code ${JSON.stringify(code)} already exists.`,
    { field: 'code' },
  );
}

/** A request names something (trust, site, service, supplier) that does not exist: 422 naming the field. */
export function unknownReference(field: string, value: string): DomainError {
  return new DomainError(
    'DIRECTORY.UNKNOWN_REFERENCE',
    `${field}: nothing with code ${JSON.stringify(value)}.`,
    { field, value },
  );
}

/** A phone line another site already has: 409 naming the number and that site. */
export function phoneNumberTaken(phoneNumber: string, siteCode: string): DomainError {
  return new DomainError(
    'DIRECTORY.PHONE_NUMBER_TAKEN',
    `phoneNumbers: ${phoneNumber} is already a line of site ${siteCode}.`,
    { field: 'phoneNumbers', value: phoneNumber, siteCode },
  );
}
