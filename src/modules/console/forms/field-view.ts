/** An option of a select or a radio group. */
export interface OptionView {
  value: string;
  label: string;
  selected: boolean;
}

/** One input as the form partials (templates/console/partials/form-*.hbs) draw it. */
export interface FieldView {
  id: string;
  name: string;
  label: string;
  value: string;
  error: string | null;
  hint?: string;
  optional?: boolean;
  type?: string;
  autocomplete?: string;
  maxlength?: number;
  list?: string;
  inputmode?: string;
  spellcheckOff?: boolean;
  rows?: number;
  options?: OptionView[];
  /** A select's first, empty option ("Choose…"). */
  empty?: string;
  checked?: boolean;
  /** A `data-` attribute name for the page's script. */
  data?: string;
}

export function fieldView(
  id: string,
  name: string,
  label: string,
  form: { values: Record<string, string>; errorFor: Record<string, string> },
  extra: Partial<FieldView> = {},
): FieldView {
  return { id, name, label, value: form.values[name] ?? '', error: form.errorFor[id] ?? null, ...extra };
}

export function optionViews(
  choices: readonly { value: string; label: string }[],
  selected: string | null | undefined,
): OptionView[] {
  return choices.map((c) => ({ ...c, selected: c.value === selected }));
}
