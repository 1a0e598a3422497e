import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/errors/domain-error';
import { Clock } from '../../../common/time/clock';
import { AppConfig } from '../../../config/app-config';
import type { Actor } from '../../audit/actor';
import type { AuthUser } from '../../auth/auth-user';
import { CatalogueService } from '../../directory/catalogue.service';
import { ContactsService, type CallerMatch } from '../../directory/contacts.service';
import { SitesService } from '../../directory/sites.service';
import { IMPACTS, PRIORITIES, URGENCIES } from '../../incidents/domain/incident-enums';
import { IncidentsService } from '../../incidents/incidents.service';
import { formErrors, type FormProblem } from '../forms/console-form';
import { fieldView, optionViews } from '../forms/field-view';
import {
  calculatedPriority,
  IMPACT_LABELS,
  matrixRows,
  NEW_INCIDENT_FIELDS,
  NEW_INCIDENT_IDS,
  readNewIncidentForm,
  URGENCY_LABELS,
  type NewIncidentValues,
  type SiteChoice,
} from '../domain/new-incident-form';

const EMPTY: NewIncidentValues = Object.fromEntries(
  NEW_INCIDENT_FIELDS.map((f) => [f, '']),
) as NewIncidentValues;

/** What the page shows besides the form: the caller search and its results. */
export interface CallerSearch {
  query: string;
  results: CallerMatch[] | null;
}

export type CreateOutcome = { ok: true; reference: string } | { ok: false; model: object };

/**
 * The new-incident page of an agent taking a call: the caller search (ContactsService.findCallers), the form
 * (sites by name or code, services, impact × urgency with the priority from the configured matrix, which the page
 * shows as a table the browser reads for the live priority), and the create through IncidentsService.create as
 * a `phone` incident. A refused form comes back with each problem on its field and what was typed kept.
 */
@Injectable()
export class NewIncidentPageService {
  constructor(
    private readonly sites: SitesService,
    private readonly catalogue: CatalogueService,
    private readonly contacts: ContactsService,
    private readonly incidents: IncidentsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Contacts matching the search box, for the page or (htmx) the results region alone. */
  async callers(user: AuthUser, query: string): Promise<CallerSearch> {
    const q = query.trim();
    return { query: q, results: q ? await this.contacts.findCallers(user, q) : null };
  }

  /** The empty form, or one filled in from a contact picked from the search (without JavaScript). */
  async blank(user: AuthUser, search: CallerSearch, contactId: string | null): Promise<object> {
    const values = { ...EMPTY };
    if (contactId) {
      const contact = await this.contacts.get(contactId).catch((err: unknown) => {
        if (err instanceof DomainError && err.code === 'DIRECTORY.NOT_FOUND') return null;
        throw err;
      });
      if (contact) {
        values.callerName = contact.name;
        values.callerEmail = contact.email ?? '';
        values.callerPhone = contact.phone ?? '';
        if (contact.usualSiteCode) {
          const site = (await this.siteChoices()).find((s) => s.code === contact.usualSiteCode);
          if (site) values.site = siteLabel(site);
        }
      }
    }
    return this.model(user, values, [], search);
  }

  async create(user: AuthUser, body: Record<string, unknown>): Promise<CreateOutcome> {
    const [sites, services] = await Promise.all([this.siteChoices(), this.catalogue.listServices()]);
    const read = readNewIncidentForm(body, {
      now: this.clock.now(),
      matrix: this.config.priorityMatrix,
      sites,
      serviceCodes: services.filter((s) => s.active).map((s) => s.code),
    });
    if (!read.ok) return { ok: false, model: await this.model(user, read.values, read.problems) };
    const { call } = read;
    const actor: Actor = { kind: 'user', user, name: user.name };
    try {
      const created = await this.incidents.create(
        {
          channel: 'phone',
          siteCode: call.siteCode,
          serviceCode: call.serviceCode,
          impact: call.impact,
          urgency: call.urgency,
          summary: call.summary,
          description: call.description,
          reporter: call.reporter,
          reportedAt: call.reportedAt ?? undefined,
          priority: call.override?.priority,
          priorityReason: call.override?.reason,
        },
        actor,
      );
      return { ok: true, reference: created.incident.reference };
    } catch (err) {
      const problem = refusalOnField(err);
      if (!problem) throw err;
      return { ok: false, model: await this.model(user, read.values, [problem]) };
    }
  }

  private async siteChoices(): Promise<(SiteChoice & { town: string | null })[]> {
    const page = await this.sites.list({ limit: 500 });
    return page.items.filter((s) => s.active).map((s) => ({ code: s.code, name: s.name, town: s.town }));
  }

  private async model(
    _user: AuthUser,
    values: NewIncidentValues,
    problems: FormProblem[],
    search: CallerSearch = { query: '', results: null },
  ): Promise<object> {
    const [sites, services] = await Promise.all([this.siteChoices(), this.catalogue.listServices()]);
    const form = { values, ...formErrors(problems) };
    const matrix = this.config.priorityMatrix;
    const calculated = calculatedPriority(values.impact, values.urgency, matrix);
    const radios = (
      name: 'impact' | 'urgency',
      choices: readonly { value: string; label: string; hint: string }[],
    ) => ({
      error: form.errorFor[NEW_INCIDENT_IDS[name]] ?? null,
      errorId: NEW_INCIDENT_IDS[name],
      options: choices.map((c) => ({ ...c, id: `${name}-${c.value}`, checked: values[name] === c.value })),
    });
    return {
      caller: callerView(search),
      errors: form.errors,
      sites: sites.map((s) => ({ value: siteLabel(s), town: s.town })),
      fields: {
        callerName: fieldView(NEW_INCIDENT_IDS.callerName, 'callerName', "Caller's name", form, {
          maxlength: 200,
          autocomplete: 'off',
        }),
        callerEmail: fieldView(NEW_INCIDENT_IDS.callerEmail, 'callerEmail', 'Email address', form, {
          type: 'email',
          optional: true,
          spellcheckOff: true,
          autocomplete: 'off',
          hint: 'Updates on the fault are emailed here.',
        }),
        callerPhone: fieldView(NEW_INCIDENT_IDS.callerPhone, 'callerPhone', 'Phone number', form, {
          type: 'tel',
          optional: true,
          autocomplete: 'off',
          hint: 'For example 01772 123456 or 07700 900123.',
        }),
        site: fieldView(NEW_INCIDENT_IDS.site, 'site', 'Site', form, {
          list: 'site-options',
          autocomplete: 'off',
          hint: 'Type the site’s name or its code and choose it from the list.',
        }),
        service: fieldView(NEW_INCIDENT_IDS.service, 'service', 'Service at fault', form, {
          empty: 'Choose the service',
          options: optionViews(
            services.filter((s) => s.active).map((s) => ({ value: s.code, label: s.name })),
            values.service,
          ),
        }),
        summary: fieldView(NEW_INCIDENT_IDS.summary, 'summary', 'Summary', form, {
          maxlength: 200,
          hint: 'One line: what is wrong, where.',
        }),
        description: fieldView(NEW_INCIDENT_IDS.description, 'description', 'What the caller said', form, {
          rows: 6,
          maxlength: 20000,
        }),
        priorityReason: fieldView(
          NEW_INCIDENT_IDS.priorityReason,
          'priorityReason',
          'Reason for a different priority',
          form,
          { maxlength: 1000, hint: 'Needed only when you choose a priority other than the calculated one.' },
        ),
        reportedAt: fieldView(NEW_INCIDENT_IDS.reportedAt, 'reportedAt', 'Call taken at', form, {
          optional: true,
          maxlength: 20,
          hint: 'Leave empty for a call you are taking now. UK time, 24-hour clock: 09:30 for today, or 05/12/2026 09:30.',
        }),
      },
      impact: radios(
        'impact',
        IMPACTS.map((i) => ({ value: i, ...IMPACT_LABELS[i] })),
      ),
      urgency: radios(
        'urgency',
        URGENCIES.map((u) => ({ value: u, ...URGENCY_LABELS[u] })),
      ),
      priority: {
        calculated,
        calculatedClass: calculated?.toLowerCase() ?? null,
        error: form.errorFor[NEW_INCIDENT_IDS.priority] ?? null,
        options: optionViews(
          PRIORITIES.map((p) => ({ value: p, label: p })),
          values.priority,
        ),
      },
      matrix: {
        urgencies: URGENCIES.map((u) => ({ value: u, label: URGENCY_LABELS[u].label })),
        rows: matrixRows(matrix).map((row) => ({
          impact: row.impact,
          label: IMPACT_LABELS[row.impact].label,
          cells: row.cells.map((c) => ({
            ...c,
            current:
              c.priority === calculated && values.impact === row.impact && values.urgency === c.urgency,
          })),
        })),
      },
    };
  }
}

/** The site as the list offers it (and the form reads back): its code, then its name. */
const siteLabel = (site: SiteChoice): string => `${site.code} — ${site.name}`;

/** The caller search's results as the page (and the htmx region alone) shows them. */
export function callerView(search: CallerSearch): object {
  return {
    query: search.query,
    searched: search.results !== null,
    results: (search.results ?? []).map((c) => ({
      id: c.id,
      name: c.name,
      email: c.email ?? '',
      phone: c.phone ?? '',
      site: c.usualSite ? `${c.usualSite.name} (${c.usualSite.code})` : null,
      siteValue: c.usualSite ? siteLabel(c.usualSite) : '',
      pickHref: `/console/incidents/new?contact=${c.id}`,
    })),
  };
}

/** A refusal of the create that belongs to one field (an unknown site or service, the priority, the time). */
function refusalOnField(err: unknown): FormProblem | null {
  if (!(err instanceof DomainError)) return null;
  if (err.code === 'DIRECTORY.UNKNOWN_REFERENCE')
    return err.details.field === 'siteCode'
      ? { field: NEW_INCIDENT_IDS.site, message: 'There is no such site: choose one from the list' }
      : { field: NEW_INCIDENT_IDS.service, message: 'There is no such service: choose one from the list' };
  if (err.code === 'INCIDENT.PRIORITY_REASON_REQUIRED')
    return {
      field: NEW_INCIDENT_IDS.priorityReason,
      message: 'Enter why the priority differs from the calculated one',
    };
  if (err.code === 'INCIDENT.REPORTED_AT_IN_FUTURE')
    return { field: NEW_INCIDENT_IDS.reportedAt, message: 'The time of the call cannot be in the future' };
  return null;
}
