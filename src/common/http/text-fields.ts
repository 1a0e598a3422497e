import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/** CR, LF and the other line breaks, with the spaces around them. */
const LINE_BREAKS = /\s*[\r\n\v\f\u0085\u2028\u2029]+\s*/g;

/** Text made one line: each run of line breaks becomes one space, and the ends are trimmed. */
export const oneLine = (text: string): string => text.replace(LINE_BREAKS, ' ').trim();

/**
 * A one-line field (a name, a summary: anything that may end up in a mail header, a subject or a list): line
 * breaks become spaces and the ends are trimmed before validation, so a name of only whitespace arrives empty and
 * is refused by its MinLength.
 */
export const SingleLine = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? oneLine(value) : value));

/** Text that must hold more than whitespace (a description, a note): refused with "must not be blank". */
export function NotBlank(options: ValidationOptions = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'notBlank',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must not be blank', ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || value.trim() !== '' },
    });
}
