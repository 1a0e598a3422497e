import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { passwordProblem } from './password-policy';

/**
 * The password policy (password-policy.ts) as a class-validator decorator. `contextFields` name the properties of
 * the same object whose values the password must not be made of (the account's email address and name).
 */
export function IsAcceptablePassword(
  contextFields: readonly string[] = [],
  options: ValidationOptions = {},
): PropertyDecorator {
  const problemOf = (value: unknown, args: ValidationArguments): string | null => {
    if (typeof value !== 'string') return 'must be a string';
    const object = args.object as Record<string, unknown>;
    const context = contextFields.map((f) => object[f]).filter((v): v is string => typeof v === 'string');
    return passwordProblem(value, context);
  };
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isAcceptablePassword',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { ...options, message: (args) => problemOf(args.value, args) ?? 'is not acceptable' },
      validator: {
        validate: (value: unknown, args) => problemOf(value, args as ValidationArguments) === null,
      },
    });
}
