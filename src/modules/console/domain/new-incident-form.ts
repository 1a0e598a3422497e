import { isEmail } from 'class-validator';
import { DateTime } from 'luxon';
import {
  IMPACTS,
  isImpact,
  isPriority,
  isUrgency,
  URGENCIES,
  type Impact,
  type Priority,
  type Urgency,
} from '../../incidents/domain/incident-enums';
import { priorityFor, type PriorityMatrix } from '../../incidents/domain/priority-matrix';
import { toE164 } from '../../intake/web/domain/uk-phone';
import { DESK_ZONE } from './london-time';
import type { FieldProblem } from './queues';

/** The new-incident form's fields, as named in the body. */
export const NEW_INCIDENT_FIELDS = [
  'callerName',
  'callerEmail',
  'callerPhone',
  'site',
  'service',
  'impact',
  'urgency',
  'priority',
  'priorityReason',
  'summary',
  'description',
  'reportedAt',
] as const;
export type NewIncidentField = (typeof NEW_INCIDENT_FIELDS)[number];
export type NewIncidentValues = Record<NewIncidentField, string>;

/** Each field's input id on the page (the error summary links to it). */
export const NEW_INCIDENT_IDS: Record<NewIncidentField, string> = {
  callerName: 'caller-name',
  callerEmail: 'caller-email',
  callerPhone: 'caller-phone',
  site: 'site',
  service: 'service',
  impact: 'impact-site_down',
  urgency: 'urgency-high',
  priority: 'priority',
  priorityReason: 'priority-reason',
  summary: 'summary',
  description: 'description',
  reportedAt: 'reported-at',
};

/** A site as the form may name it: by its code or its name. */
export interface SiteChoice {
  code: string;
  name: string;
}

/** A call, read and checked: what IncidentsService.create needs beside the channel. */
export interface NewCall {
  siteCode: string;
  serviceCode: string;
  impact: Impact;
  urgency: Urgency;
  summary: string;
  description: string;
  reporter: { name: string; email: string | null; phone: string | null };
  reportedAt: Date | null;
  /** Set only when it differs from the matrix: an override, with its reason. */
  override: { priority: Priority; reason: string } | null;
}

export interface FormContext {
  now: Date;
  matrix: PriorityMatrix;
  sites: readonly SiteChoice[];
  serviceCodes: readonly string[];
}

export type NewCallRead =
  | { ok: true; call: NewCall; values: NewIncidentValues }
  | { ok: false; problems: FieldProblem[]; values: NewIncidentValues };

/** How far ahead of now a typed time may be (clock skew): the incidents service allows the same. */
const MAX_SKEW_MS = 60_000;
const EARLIEST = Date.UTC(2000, 0, 1);
const LINE_BREAKS = /\s*[\r\n\v\f\u0085\u2028\u2029]+\s*/g;
const oneLine = (s: string): string => s.replace(LINE_BREAKS, ' ').trim();

/**
 * Reads the new-incident form of an agent taking a call. Every problem names its input; the values come back
 * as typed so a refused form keeps them. The priority is the matrix's for the impact and urgency; a different
 * one chosen by hand is an override and needs a reason (choosing the matrix's own is not an override).
 */
export function readNewIncidentForm(body: Record<string, unknown>, ctx: FormContext): NewCallRead {
  const values = Object.fromEntries(
    NEW_INCIDENT_FIELDS.map((f) => [f, typeof body[f] === 'string' ? body[f] : '']),
  ) as NewIncidentValues;
  const problems: FieldProblem[] = [];
  const problem = (field: NewIncidentField, message: string): void => {
    problems.push({ field: NEW_INCIDENT_IDS[field], message });
  };

  const name = oneLine(values.callerName);
  if (!name) problem('callerName', "Enter the caller's name");
  else if (name.length > 200) problem('callerName', "The caller's name must be 200 characters or fewer");

  const emailText = values.callerEmail.trim();
  if (emailText && (emailText.length > 320 || !isEmail(emailText, { require_tld: false })))
    problem('callerEmail', 'Enter an email address like name@nhs.net, or leave it empty');

  const phoneText = values.callerPhone.trim();
  const phone = phoneText ? toE164(phoneText) : null;
  if (phoneText && !phone)
    problem('callerPhone', 'Enter a phone number like 01772 123456 or +44 7700 900123, or leave it empty');

  const site = pickSite(values.site, ctx.sites);
  if (!site.ok) problem('site', site.message);

  const serviceCode = values.service.trim();
  if (!ctx.serviceCodes.includes(serviceCode)) problem('service', 'Choose the service that is at fault');

  const summary = oneLine(values.summary);
  if (summary.length === 0) problem('summary', 'Enter a summary of the fault');
  else if (summary.length < 3) problem('summary', 'The summary must be at least 3 characters');
  else if (summary.length > 200) problem('summary', 'The summary must be 200 characters or fewer');

  const description = values.description;
  if (description.trim() === '') problem('description', 'Enter what the caller told you');
  else if (description.length > 20_000)
    problem('description', 'The description must be 20,000 characters or fewer');

  const reported = readReportedAt(values.reportedAt, ctx.now);
  if (!reported.ok) problem('reportedAt', reported.message);

  const impact = values.impact;
  if (!isImpact(impact)) problem('impact', 'Choose how many people are affected (the impact)');
  const urgency = values.urgency;
  if (!isUrgency(urgency)) problem('urgency', 'Choose how urgent it is');

  let override: NewCall['override'] = null;
  const chosen = values.priority.trim();
  if (chosen && !isPriority(chosen)) problem('priority', 'Choose a priority, or leave it as calculated');
  if (isPriority(chosen) && isImpact(impact) && isUrgency(urgency)) {
    const calculated = priorityFor(impact, urgency, ctx.matrix);
    if (chosen !== calculated) {
      const reason = oneLine(values.priorityReason);
      if (reason.length < 3)
        problem(
          'priorityReason',
          `Enter why this is ${chosen} rather than ${calculated} (3 characters or more)`,
        );
      else if (reason.length > 1000)
        problem('priorityReason', 'The reason for the priority must be 1000 characters or fewer');
      override = { priority: chosen, reason };
    }
  }

  if (problems.length || !site.ok || !reported.ok || !isImpact(impact) || !isUrgency(urgency))
    return { ok: false, problems, values };
  return {
    ok: true,
    values,
    call: {
      siteCode: site.code,
      serviceCode,
      impact,
      urgency,
      summary,
      description,
      reporter: { name, email: emailText ? emailText.toLowerCase() : null, phone },
      reportedAt: reported.at,
      override,
    },
  };
}

/** The priority the matrix gives, when both impact and urgency are known values. */
export function calculatedPriority(impact: string, urgency: string, matrix: PriorityMatrix): Priority | null {
  return isImpact(impact) && isUrgency(urgency) ? priorityFor(impact, urgency, matrix) : null;
}

/** The matrix as rows for a table: one row per impact, one cell per urgency. */
export function matrixRows(
  matrix: PriorityMatrix,
): { impact: Impact; cells: { urgency: Urgency; priority: Priority }[] }[] {
  return IMPACTS.map((impact) => ({
    impact,
    cells: URGENCIES.map((urgency) => ({ urgency, priority: matrix[impact][urgency] })),
  }));
}

/**
 * A site named by its code (`2001`, or the list's `2001 — Fulwood Health Centre`) or by its name: an exact name,
 * or part of a name only one site has.
 */
export function pickSite(
  text: string,
  sites: readonly SiteChoice[],
): { ok: true; code: string } | { ok: false; message: string } {
  const typed = oneLine(text);
  if (!typed) return { ok: false, message: "Enter the site's name or code" };
  const code = /^(\d{3,8})(?:\s|$)/.exec(typed)?.[1];
  if (code) {
    return sites.some((s) => s.code === code)
      ? { ok: true, code }
      : { ok: false, message: `There is no site with code ${code}` };
  }
  const lower = typed.toLowerCase();
  const exact = sites.filter((s) => s.name.toLowerCase() === lower);
  if (exact.length === 1) return { ok: true, code: exact[0].code };
  const partial = sites.filter((s) => s.name.toLowerCase().includes(lower));
  if (partial.length === 1) return { ok: true, code: partial[0].code };
  if (partial.length === 0)
    return { ok: false, message: `No site is called "${typed}": check the name or use its code` };
  return {
    ok: false,
    message: `${partial.length} sites match "${typed}": choose one from the list or type its code`,
  };
}

/**
 * When the call was taken, on the desk's clock (Europe/London, 24-hour): empty is now; `09:30` is today;
 * `05/12/2026 09:30` (British order) or `2026-12-05 09:30` / `2026-12-05T09:30` a day. Not before 2000 (a typo)
 * and not in the future.
 */
export function readReportedAt(
  text: string,
  now: Date,
): { ok: true; at: Date | null } | { ok: false; message: string } {
  const typed = text.trim();
  if (!typed) return { ok: true, at: null };
  const local = parseDeskTime(typed, now);
  if (!local?.isValid)
    return {
      ok: false,
      message: 'Enter when the call was taken, like 09:30 for today or 05/12/2026 09:30',
    };
  const at = local.toJSDate();
  if (at.getTime() < EARLIEST) return { ok: false, message: 'The time of the call must be in 2000 or later' };
  if (at.getTime() - now.getTime() > MAX_SKEW_MS)
    return { ok: false, message: 'The time of the call cannot be in the future' };
  return { ok: true, at };
}

function parseDeskTime(typed: string, now: Date): DateTime | null {
  const time = /^(\d{1,2}):(\d{2})$/.exec(typed);
  if (time) {
    return DateTime.fromJSDate(now, { zone: DESK_ZONE }).set({
      hour: Number(time[1]),
      minute: Number(time[2]),
      second: 0,
      millisecond: 0,
    });
  }
  const british = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})$/.exec(typed);
  if (british) {
    const [, day, month, year, hour, minute] = british.map(Number);
    return DateTime.fromObject({ year, month, day, hour, minute }, { zone: DESK_ZONE });
  }
  const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2})?$/.exec(typed);
  return iso ? DateTime.fromISO(`${iso[1]}T${iso[2]}`, { zone: DESK_ZONE }) : null;
}

/** Impact as the agent asks the caller. */
export const IMPACT_LABELS: Record<Impact, { label: string; hint: string }> = {
  site_down: { label: 'Whole site', hint: 'Nobody at the site can work (all phones, all PCs, the network)' },
  several_users: { label: 'Several people', hint: 'A department, a room, a group of users' },
  one_user: { label: 'One person', hint: 'Only the caller, or one device' },
};

/** Urgency as the agent asks the caller. */
export const URGENCY_LABELS: Record<Urgency, { label: string; hint: string }> = {
  high: { label: 'High', hint: 'Patient care or a clinic is stopped now' },
  medium: { label: 'Medium', hint: 'Work is slowed; a workaround exists for today' },
  low: { label: 'Low', hint: 'Can wait: an inconvenience' },
};
