import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError } from '../../../common/errors/domain-error';
import { textProblem } from '../../../common/http/text-input';

/** A problem with one input of a form: `field` is the input's id, so the error summary can link to it. */
export interface FormProblem {
  field: string;
  message: string;
}

/**
 * A form's fields by their names in the body (and in the API's DTO): the input's id, its label as a message names
 * it ("site name": "Enter the site name", "Site name must be …"), and whether it is chosen (a select: "Choose the trust") rather than typed ("Enter …").
 */
export type FieldSpec = Readonly<Record<string, { id: string; label: string; choose?: boolean }>>;

export type FormCheck<T> = { ok: true; value: T } | { ok: false; problems: FormProblem[] };

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The named text fields of a form body as typed (a missing or non-text field is ''): echoed back on a refusal. */
export function formValues(body: Record<string, unknown>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, typeof body[name] === 'string' ? body[name] : '']));
}

/**
 * Checks what a console form will hand to a service against the API's own DTO (the same class-validator rules,
 * transforms included: a one-line field has its line breaks taken out first), plus the text rule the API applies
 * to every string (no NUL, no lone surrogate). Problems name the form's inputs in the desk's words: "Enter the
 * site name" for a required field left empty, otherwise the label and the rule ("Site code must be 3-6 digits").
 */
export function checkDto<T extends object>(
  cls: ClassConstructor<T>,
  plain: Record<string, unknown>,
  fields: FieldSpec,
): FormCheck<T> {
  const problems: FormProblem[] = [];
  for (const [name, value] of Object.entries(plain)) {
    const problem = typeof value === 'string' ? textProblem(value) : null;
    const spec = fields[name];
    if (problem && spec) problems.push({ field: spec.id, message: `${capitalise(spec.label)} ${problem}` });
  }
  if (problems.length) return { ok: false, problems };
  const value = plainToInstance(cls, plain);
  for (const error of validateSync(value, { whitelist: true, forbidUnknownValues: false })) {
    const spec = fields[error.property];
    if (!spec) continue;
    const raw = plain[error.property];
    const empty = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
    const rule = Object.values(error.constraints ?? {})[0] ?? 'is not valid';
    const reason = rule.startsWith(`${error.property} `) ? rule.slice(error.property.length + 1) : rule;
    problems.push({
      field: spec.id,
      message: empty
        ? `${spec.choose ? 'Choose' : 'Enter'} the ${spec.label}`
        : `${capitalise(spec.label)} ${reason}`,
    });
  }
  return problems.length ? { ok: false, problems } : { ok: true, value };
}

/**
 * The problems a service's refusal names (`details.fields` of REQUEST.VALIDATION_FAILED, `details.field` of a
 * taken email or an unknown trust), on the form's inputs; null when it names none of them (the page then shows
 * the refusal as a whole).
 */
export function problemsFromRefusal(err: DomainError, fields: FieldSpec): FormProblem[] | null {
  const named: { field: string; reason: string }[] = [];
  const details = err.details as { field?: unknown; fields?: unknown };
  if (Array.isArray(details.fields)) {
    for (const f of details.fields as { field?: unknown; reasons?: unknown }[]) {
      if (typeof f.field === 'string')
        named.push({
          field: f.field,
          reason: Array.isArray(f.reasons) && typeof f.reasons[0] === 'string' ? f.reasons[0] : err.message,
        });
    }
  } else if (typeof details.field === 'string') {
    named.push({ field: details.field, reason: '' });
  }
  const problems = named.flatMap(({ field, reason }) => {
    const spec = fields[field];
    if (!spec) return [];
    const message = reason
      ? `${capitalise(spec.label)} ${reason}`
      : err.code === 'DIRECTORY.UNKNOWN_REFERENCE'
        ? `There is no such ${spec.label}`
        : err.message;
    return [{ field: spec.id, message }];
  });
  return problems.length ? problems : null;
}

/** What a form template needs to show problems: the summary's links, and each input's own message by id. */
export interface FormErrors {
  errors: { href: string; message: string }[];
  errorFor: Record<string, string>;
}

export function formErrors(problems: readonly FormProblem[]): FormErrors {
  const errorFor: Record<string, string> = {};
  for (const p of problems) errorFor[p.field] ??= p.message;
  return { errors: problems.map((p) => ({ href: `#${p.field}`, message: p.message })), errorFor };
}
