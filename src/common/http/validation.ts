import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

export interface FieldProblem {
  field: string;
  reasons: string[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {});
    const mine = own.length ? [{ field, reasons: own }] : [];
    return [...mine, ...flatten(e.children ?? [], field)];
  });
}

/** The one ValidationPipe: strips nothing silently (unknown fields are errors) and lists every bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new DomainError(
        'REQUEST.VALIDATION_FAILED',
        `Invalid request: ${fields.map((f) => `${f.field} (${f.reasons.join('; ')})`).join(', ')}`,
        { fields },
      );
    },
  });
}
