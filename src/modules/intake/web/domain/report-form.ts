import type { Impact, Urgency } from '../../../incidents/domain/incident-enums';
import { toE164 } from './uk-phone';

/** The fields of the public fault form, in the order the page asks for them (and lists their errors). */
export const REPORT_FIELDS = [
  'name',
  'email',
  'phone',
  'trust',
  'site',
  'service',
  'affected',
  'urgency',
  'summary',
  'description',
  'attachment',
] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

/** "How many people are affected?" */
export const AFFECTED = ['whole_site', 'several', 'just_me'] as const;
export type Affected = (typeof AFFECTED)[number];

export const URGENCY_CHOICES = ['high', 'medium', 'low'] as const satisfies readonly Urgency[];

export const LIMITS = {
  name: 200,
  email: 320,
  phone: 40,
  summary: 200,
  description: 10_000,
  search: 100,
  comment: 5_000,
} as const;

/** What the form sent, as text, exactly as it will be shown back when there is an error. */
export interface ReportFormValues {
  name: string;
  email: string;
  phone: string;
  trust: string;
  q: string;
  site: string;
  service: string;
  affected: string;
  urgency: string;
  summary: string;
  description: string;
}

export interface FieldError {
  field: ReportField;
  message: string;
  /** True for a site or service code that was well formed but is not in the directory (a tampered form: 422). */
  unknownReference?: boolean;
}

/** A report that passed every check the form itself can make (the directory checks come after). */
export interface ValidReport {
  name: string;
  email: string;
  phone: string | null;
  trust: string | null;
  siteCode: string;
  serviceCode: string;
  impact: Impact;
  urgency: Urgency;
  summary: string;
  description: string;
}

const VALUE_KEYS = [
  'name',
  'email',
  'phone',
  'trust',
  'q',
  'site',
  'service',
  'affected',
  'urgency',
  'summary',
  'description',
] as const satisfies readonly (keyof ReportFormValues)[];

/**
 * The form's values from a parsed body or query string. Anything that is not a single string (a repeated or
 * bracketed field from a tampered form) counts as empty. NUL and other control characters are dropped (PostgreSQL
 * text cannot hold NUL); tabs and line breaks stay. Markup is kept as typed: it is text, escaped when shown.
 */
export function readReportForm(source: unknown): ReportFormValues {
  const record = (source && typeof source === 'object' ? source : {}) as Record<string, unknown>;
  const values = {} as ReportFormValues;
  for (const key of VALUE_KEYS) values[key] = cleanText(record[key]);
  return values;
}

export function cleanText(value: unknown): string {
  return typeof value === 'string' ? value.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g, '') : '';
}

export const EMPTY_FORM: ReportFormValues = readReportForm({});

/** A one-line field (name, summary): line breaks become a space, the ends are trimmed. */
const oneLine = (text: string): string => text.replace(/\s*[\r\n\u0085\u2028\u2029]+\s*/g, ' ').trim();

/** Every problem with the form at once, in page order; a ValidReport when there is none. */
export function validateReportForm(
  v: ReportFormValues,
): { report: ValidReport; errors: [] } | { report: null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: ReportField, message: string, unknownReference = false): void =>
    void errors.push(unknownReference ? { field, message, unknownReference } : { field, message });

  const name = oneLine(v.name);
  if (!name) fail('name', 'Enter your name');
  else if (name.length > LIMITS.name) fail('name', `Your name must be ${LIMITS.name} characters or fewer`);

  const email = v.email.trim();
  if (!email) fail('email', 'Enter your email address, so that we can send you the reference');
  else if (email.length > LIMITS.email || !isEmailAddress(email))
    fail('email', 'Enter an email address in the correct format, like name@nhs.net');

  const phoneText = v.phone.trim();
  const phone = phoneText && phoneText.length <= LIMITS.phone ? toE164(phoneText) : null;
  if (phoneText && !phone) {
    fail(
      'phone',
      'Enter a phone number like 01772 123456, 07700 900123 or +44 7700 900123, or leave it empty',
    );
  }

  const trust = v.trust.trim();
  if (trust && !/^[A-Za-z0-9_-]{1,16}$/.test(trust)) fail('trust', 'Choose a trust from the list');

  const siteCode = v.site.trim();
  if (!siteCode) fail('site', 'Choose the site where the fault is');
  else if (!/^\d{1,8}$/.test(siteCode)) fail('site', 'Choose a site from the list', true);

  const serviceCode = v.service.trim();
  if (!serviceCode) fail('service', 'Choose the service that has the fault');
  else if (!/^[a-z0-9_-]{1,32}$/i.test(serviceCode)) fail('service', 'Choose a service from the list', true);

  const affected = (AFFECTED as readonly string[]).includes(v.affected) ? (v.affected as Affected) : null;
  if (!affected) fail('affected', 'Choose how many people are affected');

  const urgency = (URGENCY_CHOICES as readonly string[]).includes(v.urgency) ? (v.urgency as Urgency) : null;
  if (!urgency) fail('urgency', 'Choose how urgent the fault is');

  const summary = oneLine(v.summary);
  if (!summary) fail('summary', 'Enter a short title for the fault');
  else if (summary.length > LIMITS.summary)
    fail('summary', `The short title must be ${LIMITS.summary} characters or fewer`);

  const description = v.description.replace(/\r\n?/g, '\n').trim();
  if (!description) fail('description', 'Describe the fault');
  else if (description.length > LIMITS.description)
    fail(
      'description',
      `The description must be ${LIMITS.description.toLocaleString('en-GB')} characters or fewer`,
    );

  if (errors.length > 0 || !affected || !urgency) return { report: null, errors };
  return {
    errors: [],
    report: {
      name,
      email,
      phone,
      trust: trust || null,
      siteCode,
      serviceCode,
      impact: impactFor(affected),
      urgency,
      summary,
      description,
    },
  };
}

/** Whole site → site down; several people → several users; just me → one user. */
export function impactFor(affected: Affected): Impact {
  switch (affected) {
    case 'whole_site':
      return 'site_down';
    case 'several':
      return 'several_users';
    case 'just_me':
      return 'one_user';
  }
}

/** One mailbox, `local@domain.tld`, nothing that could break a mail header. */
export function isEmailAddress(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at < 1 || at > 64) return false;
  return /^[^\s@<>(),;:"[\]\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(value);
}

/** A comment from the status page: required, at most LIMITS.comment characters. */
export function validateComment(raw: unknown): { body: string; error: null } | { body: null; error: string } {
  const body = cleanText(raw).replace(/\r\n?/g, '\n').trim();
  if (!body) return { body: null, error: 'Enter your comment' };
  if (body.length > LIMITS.comment)
    return {
      body: null,
      error: `Your comment must be ${LIMITS.comment.toLocaleString('en-GB')} characters or fewer`,
    };
  return { body, error: null };
}
