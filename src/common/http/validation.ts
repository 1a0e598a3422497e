import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import type { FieldProblem } from './text-input';

export type { FieldProblem };

/** Most bad fields one answer lists; the message says how many more there were. */
export const MAX_LISTED_FIELDS = 100;

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {});
    const mine = own.length ? [{ field, reasons: own }] : [];
    return [...mine, ...flatten(e.children ?? [], field)];
  });
}

/**
 * 400 `REQUEST.VALIDATION_FAILED` listing the bad fields: at most MAX_LISTED_FIELDS of them, so a body with
 * thousands of unknown keys gets a short answer that says how many there were.
 */
export function validationFailed(fields: FieldProblem[]): DomainError {
  const listed = fields.slice(0, MAX_LISTED_FIELDS);
  const more = fields.length - listed.length;
  const text = listed.map((f) => `${f.field} (${f.reasons.join('; ')})`).join(', ');
  const message = more
    ? `Invalid request: ${fields.length.toLocaleString('en-GB')} fields are wrong; the first ${listed.length}: ${text}, and ${more.toLocaleString('en-GB')} more`
    : `Invalid request: ${text}`;
  return new DomainError('REQUEST.VALIDATION_FAILED', message, { fields: listed });
}

/** The one ValidationPipe: strips nothing silently (unknown fields are errors) and lists every bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}
