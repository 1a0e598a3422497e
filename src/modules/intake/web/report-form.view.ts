import {
  AFFECTED,
  LIMITS,
  URGENCY_CHOICES,
  type Affected,
  type FieldError,
  type ReportField,
  type ReportFormValues,
} from './domain/report-form';
import type { Urgency } from '../../incidents/domain/incident-enums';

export interface PickerSite {
  code: string;
  name: string;
  town: string | null;
  trust: { code: string; name: string };
}

export interface FormPageInput {
  values: ReportFormValues;
  errors: FieldError[];
  csrfToken: string;
  trusts: { code: string; name: string }[];
  sites: PickerSite[];
  /** Set when the site list was narrowed by trust or search text. */
  search: { trustName: string | null; q: string } | null;
  /** More sites matched than the list shows. */
  truncated: boolean;
  services: { code: string; name: string; description: string }[];
  attachmentLimit: string;
  /** A sentence shown above the form (for example: choose your file again). */
  notice?: string | null;
}

const AFFECTED_TEXT: Record<Affected, { label: string; hint: string }> = {
  whole_site: { label: 'The whole site', hint: 'Nobody at the site can use the service' },
  several: { label: 'Several people', hint: 'More than one person, but not the whole site' },
  just_me: { label: 'Just me', hint: 'Only me, or only one device' },
};

const URGENCY_TEXT: Record<Urgency, { label: string; hint: string }> = {
  high: { label: 'High', hint: 'Patient care is stopped or at risk now' },
  medium: { label: 'Medium', hint: 'Work is slowed down, or there is a way round it for now' },
  low: { label: 'Low', hint: 'It is an inconvenience and can wait' },
};

/** Where the error summary's link for a field points: the control itself, or a radio group's first radio. */
function anchorOf(field: ReportField): string {
  switch (field) {
    case 'service':
      return 'service-0';
    case 'affected':
      return `affected-${AFFECTED[0]}`;
    case 'urgency':
      return `urgency-${URGENCY_CHOICES[0]}`;
    case 'name':
    case 'email':
    case 'phone':
    case 'trust':
    case 'site':
    case 'summary':
    case 'description':
    case 'attachment':
      return field;
  }
}

/** The model `templates/web/report-form.hbs` renders; every string in it is escaped by the template. */
export function formPageModel(input: FormPageInput): object {
  const { values, errors } = input;
  const errorOf = (field: ReportField): string | null =>
    errors.find((e) => e.field === field)?.message ?? null;
  const text = (field: ReportField & keyof ReportFormValues, hint: boolean, max: number) => {
    const error = errorOf(field);
    return {
      value: values[field],
      error,
      max,
      describedBy:
        [hint ? `${field}-hint` : null, error ? `${field}-error` : null].filter(Boolean).join(' ') || null,
    };
  };

  const selectedSite = values.site.trim();
  const groups = new Map<
    string,
    {
      label: string;
      sites: { code: string; label: string; selected: boolean; trust: string; search: string }[];
    }
  >();
  for (const s of [...input.sites].sort(
    (a, b) => a.trust.name.localeCompare(b.trust.name) || a.name.localeCompare(b.name),
  )) {
    const group = groups.get(s.trust.code) ?? { label: s.trust.name, sites: [] };
    group.sites.push({
      code: s.code,
      label: `${s.name}${s.town && !s.name.includes(s.town) ? `, ${s.town}` : ''} (site code ${s.code})`,
      selected: s.code === selectedSite,
      trust: s.trust.code,
      search: `${s.name} ${s.town ?? ''} ${s.code}`.toLowerCase(),
    });
    groups.set(s.trust.code, group);
  }

  const groupErrors = (field: 'service' | 'affected' | 'urgency') => {
    const error = errorOf(field);
    return {
      error,
      describedBy: [`${field}-hint`, error ? `${field}-error` : null].filter(Boolean).join(' '),
    };
  };

  return {
    pageTitle: `${errors.length ? 'Error: ' : ''}Report a network fault`,
    csrfToken: input.csrfToken,
    notice: input.notice ?? null,
    errors: errors.map((e) => ({ href: `#${anchorOf(e.field)}`, message: e.message })),
    name: text('name', false, LIMITS.name),
    email: text('email', true, LIMITS.email),
    phone: text('phone', true, LIMITS.phone),
    summary: text('summary', true, LIMITS.summary),
    description: text('description', true, LIMITS.description),
    trust: {
      error: errorOf('trust'),
      options: [...input.trusts]
        .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
        .map((t) => ({ code: t.code, name: t.name, selected: t.code === values.trust.trim() })),
    },
    q: { value: values.q, max: LIMITS.search },
    site: {
      error: errorOf('site'),
      describedBy: [
        'site-hint',
        input.search ? 'site-search-result' : null,
        errorOf('site') ? 'site-error' : null,
      ]
        .filter(Boolean)
        .join(' '),
      groups: [...groups.values()],
      count: input.sites.length,
      none: input.sites.length === 0,
    },
    search: input.search ? { ...input.search, result: searchResult(input.sites.length, input.search) } : null,
    truncated: input.truncated,
    service: {
      ...groupErrors('service'),
      options: input.services.map((s, i) => ({
        id: `service-${i}`,
        code: s.code,
        name: s.name,
        description: s.description,
        checked: s.code === values.service,
      })),
    },
    affected: {
      ...groupErrors('affected'),
      options: AFFECTED.map((a) => ({
        id: `affected-${a}`,
        value: a,
        ...AFFECTED_TEXT[a],
        checked: a === values.affected,
      })),
    },
    urgency: {
      ...groupErrors('urgency'),
      options: URGENCY_CHOICES.map((u) => ({
        id: `urgency-${u}`,
        value: u,
        ...URGENCY_TEXT[u],
        checked: u === values.urgency,
      })),
    },
    attachment: {
      error: errorOf('attachment'),
      limit: input.attachmentLimit,
      describedBy: ['attachment-hint', errorOf('attachment') ? 'attachment-error' : null]
        .filter(Boolean)
        .join(' '),
    },
  };
}

function searchResult(count: number, search: { trustName: string | null; q: string }): string {
  const where = `${search.q ? ` “${search.q}”` : ''}${search.trustName ? ` in ${search.trustName}` : ''}`;
  if (count === 0)
    return `No sites match${where}. Try part of the name, the town or the site code, or choose all organisations.`;
  return `${count} site${count === 1 ? '' : 's'} match${count === 1 ? 'es' : ''}${where}. Choose yours from the list.`;
}
