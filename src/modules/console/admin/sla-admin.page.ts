import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DomainError } from '../../../common/errors/domain-error';
import { Clock } from '../../../common/time/clock';
import type { Actor } from '../../audit/actor';
import type { AuthUser } from '../../auth/auth-user';
import { SITE_CLASSES } from '../../directory/site-class.entity';
import { PRIORITIES } from '../../incidents/domain/incident-enums';
import type { CalendarView } from '../../sla/dto/sla-admin.dto';
import { SlaAdminService } from '../../sla/sla-admin.service';
import { siteClassLabel } from '../domain/labels';
import { DESK_ZONE, formatDateTime } from '../domain/london-time';
import {
  formatDay,
  policyFieldId,
  readCalendarForm,
  readDate,
  readPolicyForm,
  WEEKDAYS,
  type PolicyValues,
} from '../domain/sla-forms';
import { formErrors, type FormProblem } from '../forms/console-form';

export type SlaOutcome<T = string> = { ok: true; value: T } | { ok: false; status: number; model: object };

const asActor = (user: AuthUser): Actor => ({ kind: 'user', user, name: user.email });

/**
 * Business minutes as the desk says them: hours and minutes ("31 h 30 min"), and in business days of the
 * calendar when that is at least one ("3 business days" on GP core hours, where a day is 630 minutes).
 */
function minutesText(n: number, minutesPerDay?: number): string {
  const h = Math.floor(n / 60);
  const m = n % 60;
  const time = [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || '0 min';
  if (!minutesPerDay || n < minutesPerDay) return time;
  const days = Math.round((n / minutesPerDay) * 10) / 10;
  return `${time} · ${days} business ${days === 1 ? 'day' : 'days'}`;
}

/**
 * The SLA screens (desk managers and administrators), through SlaAdminService's own operations: the policies
 * (site class × priority: calendar, response and resolution in business minutes; a change applies to incidents
 * logged from then on, with a reason kept in the history), the business calendars, and the bank holidays in
 * force with their overrides.
 */
@Injectable()
export class SlaAdminPage {
  constructor(
    private readonly sla: SlaAdminService,
    private readonly clock: Clock,
  ) {}

  async policies(
    notices: { done: string | null },
    state: { values: Record<string, string>; problems: FormProblem[] } | null = null,
  ): Promise<object> {
    const [policies, calendars] = await Promise.all([this.sla.listPolicies(), this.sla.listCalendars()]);
    const errors = formErrors(state?.problems ?? []);
    const calendarName = new Map(calendars.map((c) => [c.code, c.name]));
    const dayLength = new Map(calendars.map((c) => [c.code, c.minutesPerDay]));
    const rows = SITE_CLASSES.flatMap((siteClass) =>
      PRIORITIES.map((priority, i) => {
        const p = policies.find((x) => x.siteClass === siteClass && x.priority === priority);
        const name = (field: string) => `${siteClass}.${priority}.${field}`;
        const value = (field: string, fallback: string) => state?.values[name(field)] ?? fallback;
        const explicit = p && !p.calendarFromSiteClass ? p.calendar : '';
        const chosen = value('calendar', explicit);
        const input = (field: 'response' | 'resolution', minutes: number | undefined) => {
          const id = policyFieldId(siteClass, priority, field);
          return {
            id,
            name: name(`${field}Minutes`),
            value: value(`${field}Minutes`, minutes === undefined ? '' : String(minutes)),
            text:
              minutes === undefined ? '' : minutesText(minutes, p ? dayLength.get(p.calendar) : undefined),
            error: errors.errorFor[id] ?? null,
            label: `${field === 'response' ? 'Response' : 'Resolution'}, ${siteClassLabel(siteClass)} ${priority}`,
          };
        };
        return {
          first: i === 0,
          span: PRIORITIES.length,
          siteClass: siteClassLabel(siteClass),
          priority,
          priorityClass: priority.toLowerCase(),
          calendar: {
            id: policyFieldId(siteClass, priority, 'calendar'),
            name: name('calendar'),
            label: `Calendar, ${siteClassLabel(siteClass)} ${priority}`,
            error: errors.errorFor[policyFieldId(siteClass, priority, 'calendar')] ?? null,
            options: [
              {
                value: '',
                label: p?.calendarFromSiteClass
                  ? `The site class’s (${calendarName.get(p.calendar) ?? p.calendar})`
                  : 'The site class’s',
                selected: chosen === '',
              },
              ...calendars.map((c) => ({ value: c.code, label: c.name, selected: c.code === chosen })),
            ],
          },
          response: input('response', p?.responseMinutes),
          resolution: input('resolution', p?.resolutionMinutes),
          updated: p ? formatDateTime(p.updatedAt) : '',
        };
      }),
    );
    return { ...notices, errors: errors.errors, rows, reason: state?.values.reason ?? '' };
  }

  async updatePolicies(
    body: Record<string, unknown>,
    user: AuthUser,
  ): Promise<SlaOutcome<'policies' | 'unchanged'>> {
    const [policies, calendars] = await Promise.all([this.sla.listPolicies(), this.sla.listCalendars()]);
    const current: PolicyValues[] = policies.map((p) => ({
      siteClass: p.siteClass,
      priority: p.priority,
      calendar: p.calendarFromSiteClass ? null : p.calendar,
      responseMinutes: p.responseMinutes,
      resolutionMinutes: p.resolutionMinutes,
    }));
    const read = readPolicyForm(
      body,
      current,
      calendars.map((c) => c.code),
    );
    if (read.problems.length)
      return { ok: false, status: 422, model: await this.policies({ done: null }, read) };
    if (read.changes.length === 0) return { ok: true, value: 'unchanged' };
    await this.sla.updatePolicies(
      { policies: read.changes, reason: read.reason || undefined },
      asActor(user),
    );
    return { ok: true, value: 'policies' };
  }

  async calendars(): Promise<object> {
    const calendars = await this.sla.listCalendars();
    return {
      rows: calendars.map((c) => ({
        href: `/console/admin/sla/calendars/${c.code}`,
        code: c.code,
        name: c.name,
        zone: c.zone,
        bankHolidays: c.bankHolidays,
        hours: hoursSummary(c),
        day: minutesText(c.minutesPerDay),
      })),
    };
  }

  async calendar(
    code: string | null,
    state: { values: Record<string, string>; problems: FormProblem[]; refusal?: string } | null,
    done: string | null = null,
  ): Promise<object> {
    const existing = code ? (await this.sla.listCalendars()).find((c) => c.code === code) : undefined;
    if (code && !existing) throw new DomainError('CONSOLE.PAGE_NOT_FOUND', 'No such calendar.');
    const values: Record<string, string> = state?.values ?? {
      code: existing?.code ?? '',
      name: existing?.name ?? '',
      zone: existing?.zone ?? DESK_ZONE,
      bankHolidays: existing ? String(existing.bankHolidays) : 'true',
      ...Object.fromEntries(
        WEEKDAYS.map(({ day, name }) => [name, existing ? formatDay(existing.week[String(day)] ?? []) : '']),
      ),
    };
    const form = formErrors(state?.problems ?? []);
    const field = (id: string, name: string, label: string, hint?: string) => ({
      id,
      name,
      label,
      hint,
      value: values[name] ?? '',
      error: form.errorFor[id] ?? null,
    });
    return {
      done,
      refusal: state?.refusal ?? null,
      errors: form.errors,
      isNew: !existing,
      title: existing ? existing.name : 'New calendar',
      action: existing ? `/console/admin/sla/calendars/${existing.code}` : '/console/admin/sla/calendars',
      version: existing?.version ?? null,
      fields: {
        code: {
          ...field(
            'calendar-code',
            'code',
            'Code',
            'Lower-case letters, digits, - and _; it cannot be changed later.',
          ),
          maxlength: 32,
          spellcheckOff: true,
        },
        name: { ...field('calendar-name', 'name', 'Name'), maxlength: 100 },
        zone: {
          ...field('calendar-zone', 'zone', 'Time zone', 'The hours are wall-clock hours in this zone.'),
          maxlength: 64,
          spellcheckOff: true,
        },
        days: WEEKDAYS.map(({ name, label }) => ({
          ...field(`calendar-${name}`, name, label),
          maxlength: 100,
        })),
        bankHolidays: {
          id: 'calendar-bank-holidays',
          name: 'bankHolidays',
          label: 'Closed on England and Wales bank holidays (with the overrides)',
          checked: values.bankHolidays === 'true',
        },
      },
    };
  }

  async saveCalendar(code: string | null, body: Record<string, unknown>): Promise<SlaOutcome> {
    const values = Object.fromEntries(
      ['code', 'name', 'zone', ...WEEKDAYS.map((d) => d.name)].map((n) => [
        n,
        typeof body[n] === 'string' ? body[n] : '',
      ]),
    );
    values.bankHolidays = body.bankHolidays === 'true' ? 'true' : 'false';
    const target = code ?? values.code.trim();
    const problems: FormProblem[] = [];
    if (!code && !/^[a-z0-9][a-z0-9_-]{0,31}$/.test(target))
      problems.push({
        field: 'calendar-code',
        message: 'Enter a code of lower-case letters, digits, - and _ (up to 32)',
      });
    if (!code && (await this.sla.listCalendars()).some((c) => c.code === target))
      problems.push({
        field: 'calendar-code',
        message: `There is already a calendar ${target}: choose another code`,
      });
    const read = readCalendarForm(body);
    if (!read.ok) problems.push(...read.problems);
    const refused = async (list: FormProblem[], refusal?: string): Promise<SlaOutcome> => ({
      ok: false,
      status: 422,
      model: await this.calendar(code, { values, problems: list, refusal }),
    });
    if (problems.length || !read.ok) return refused(problems);
    try {
      await this.sla.putCalendar(target, read.calendar);
    } catch (err) {
      if (!(err instanceof DomainError) || err.status !== 422) throw err;
      return refused([], err.message);
    }
    return { ok: true, value: target };
  }

  async holidays(
    yearParam: unknown,
    notices: { done: string | null },
    state: { values: Record<string, string>; problems: FormProblem[] } | null = null,
  ): Promise<object> {
    const year = readYear(yearParam, this.clock.now());
    if (year === null)
      throw new DomainError('CONSOLE.INVALID_QUERY', 'This address is not valid: year (2000 to 2100).');
    const [holidays, overrides] = await Promise.all([this.sla.holidays(year), this.sla.listOverrides()]);
    const form = formErrors(state?.problems ?? []);
    const values = state?.values ?? { date: '', action: 'add', name: '' };
    return {
      ...notices,
      errors: form.errors,
      year,
      previous: `/console/admin/sla/holidays?year=${year - 1}`,
      next: `/console/admin/sla/holidays?year=${year + 1}`,
      holidays: holidays.map((h) => ({
        date: dayText(h.date),
        iso: h.date,
        name: h.name,
        added: h.source === 'override',
      })),
      overrides: overrides.map((o) => ({
        date: dayText(o.date),
        iso: o.date,
        action: o.action === 'add' ? 'Closed (added)' : 'Open (holiday removed)',
        name: o.name,
        by: o.changedBy,
        removeAction: `/console/admin/sla/holidays/${o.date}/delete`,
      })),
      form: {
        date: {
          id: 'holiday-date',
          name: 'date',
          label: 'Date',
          value: values.date,
          error: form.errorFor['holiday-date'] ?? null,
          hint: 'For example 13/06/2035.',
          maxlength: 10,
        },
        name: {
          id: 'holiday-name',
          name: 'name',
          label: 'Name',
          value: values.name,
          error: form.errorFor['holiday-name'] ?? null,
          hint: 'Shown in the list, e.g. “Bank holiday for a royal occasion”.',
          maxlength: 200,
        },
        addChecked: values.action !== 'remove',
        actionError: form.errorFor['holiday-action-add'] ?? null,
      },
    };
  }

  async addOverride(body: Record<string, unknown>, user: AuthUser): Promise<SlaOutcome<number>> {
    const values = {
      date: typeof body.date === 'string' ? body.date : '',
      action: typeof body.action === 'string' ? body.action : '',
      name: typeof body.name === 'string' ? body.name : '',
    };
    const problems: FormProblem[] = [];
    const date = readDate(values.date);
    if (!date) problems.push({ field: 'holiday-date', message: 'Enter the date like 13/06/2035' });
    if (values.action !== 'add' && values.action !== 'remove')
      problems.push({ field: 'holiday-action-add', message: 'Choose whether the day is closed or open' });
    const name = values.name.replace(/\s+/g, ' ').trim();
    if (!name) problems.push({ field: 'holiday-name', message: 'Enter the name of the day' });
    else if (name.length > 200)
      problems.push({ field: 'holiday-name', message: 'The name must be 200 characters or fewer' });
    if (problems.length || !date)
      return {
        ok: false,
        status: 422,
        model: await this.holidays(undefined, { done: null }, { values, problems }),
      };
    await this.sla.putOverride(date, { action: values.action as 'add' | 'remove', name }, asActor(user));
    return { ok: true, value: Number(date.slice(0, 4)) };
  }

  async removeOverride(date: string): Promise<number> {
    const iso = readDate(date);
    if (!iso || iso !== date) throw new DomainError('SLA.OVERRIDE_NOT_FOUND', 'No such override.');
    await this.sla.deleteOverride(iso);
    return Number(iso.slice(0, 4));
  }
}

function readYear(value: unknown, now: Date): number | null {
  if (value === undefined || value === '') return DateTime.fromJSDate(now, { zone: DESK_ZONE }).year;
  if (typeof value !== 'string' || !/^\d{4}$/.test(value)) return null;
  const year = Number(value);
  return year >= 2000 && year <= 2100 ? year : null;
}

const dayText = (iso: string): string =>
  DateTime.fromISO(iso, { zone: DESK_ZONE }).setLocale('en-GB').toFormat('ccc d LLL yyyy');

function hoursSummary(c: CalendarView): { day: string; hours: string }[] {
  return WEEKDAYS.map(({ day, label }) => ({
    day: label.slice(0, 3),
    hours: formatDay(c.week[String(day)] ?? []) || 'Closed',
  }));
}
