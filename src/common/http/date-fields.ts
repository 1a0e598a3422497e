import { registerDecorator, type ValidationOptions } from 'class-validator';

/** An ISO date-time string no earlier than `earliest` (an invalid date is left to @IsDateString to refuse). */
export function IsOnOrAfter(earliest: string, options: ValidationOptions = {}): PropertyDecorator {
  const min = Date.parse(earliest);
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isOnOrAfter',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `$property must be ${earliest} or later`, ...options },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return true;
          const at = Date.parse(value);
          return Number.isNaN(at) || at >= min;
        },
      },
    });
}
