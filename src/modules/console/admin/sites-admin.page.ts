import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/errors/domain-error';
import { CatalogueService } from '../../directory/catalogue.service';
import { CreateSiteDto, UpdateSiteDto, type SiteDto } from '../../directory/dto/site.dto';
import { SITE_CLASSES } from '../../directory/site-class.entity';
import { SitesService } from '../../directory/sites.service';
import { siteClassLabel } from '../domain/labels';
import {
  checkDto,
  formErrors,
  formValues,
  problemsFromRefusal,
  type FieldSpec,
  type FormProblem,
} from '../forms/console-form';
import { fieldView, optionViews } from '../forms/field-view';

const FIELDS: FieldSpec = {
  code: { id: 'site-code', label: 'site code' },
  name: { id: 'site-name', label: 'site name' },
  class: { id: 'site-class', label: 'site class', choose: true },
  trustCode: { id: 'site-trust', label: 'trust', choose: true },
  town: { id: 'site-town', label: 'town' },
  accessNotes: { id: 'site-access', label: 'access notes' },
};
const NAMES = ['code', 'name', 'class', 'trustCode', 'town', 'accessNotes'] as const;

export type SiteOutcome = { ok: true; code: string } | { ok: false; status: number; model: object };

/** The sites screens: list and search, and an administrator's create and edit through SitesService. */
@Injectable()
export class SitesAdminPage {
  constructor(
    private readonly sites: SitesService,
    private readonly catalogue: CatalogueService,
  ) {}

  async list(q: string, cursor: string | undefined, canChange: boolean): Promise<object> {
    const query = q.trim().slice(0, 100);
    const page = await this.sites.list({ q: query || undefined, cursor, limit: 100 });
    const search = query ? `q=${encodeURIComponent(query)}&` : '';
    return {
      q: query,
      canChange,
      rows: page.items.map((s) => ({
        href: `/console/admin/sites/${s.code}`,
        code: s.code,
        name: s.name,
        classLabel: siteClassLabel(s.class),
        trust: s.trust.name,
        town: s.town ?? '',
        hasNotes: !!s.accessNotes,
        active: s.active,
      })),
      next: page.nextCursor
        ? `/console/admin/sites?${search}cursor=${encodeURIComponent(page.nextCursor)}`
        : null,
      first: cursor ? `/console/admin/sites${query ? `?q=${encodeURIComponent(query)}` : ''}` : null,
    };
  }

  /** The form: empty, a site's values, or what was typed with its problems. */
  async form(
    site: SiteDto | null,
    state: { values: Record<string, string>; active: boolean; problems: FormProblem[] } | null,
    canChange: boolean,
    notices: { done: string | null } = { done: null },
  ): Promise<object> {
    const values = state?.values ?? {
      code: site?.code ?? '',
      name: site?.name ?? '',
      class: site?.class ?? '',
      trustCode: site?.trust.code ?? '',
      town: site?.town ?? '',
      accessNotes: site?.accessNotes ?? '',
    };
    const form = { values, ...formErrors(state?.problems ?? []) };
    const trusts = await this.catalogue.listTrusts();
    return {
      ...notices,
      isNew: site === null,
      canChange,
      site: site ? { code: site.code, name: site.name } : null,
      action: site ? `/console/admin/sites/${site.code}` : '/console/admin/sites',
      errors: form.errors,
      fields: {
        code: fieldView(FIELDS.code.id, 'code', 'Site code', form, {
          maxlength: 6,
          hint: '3 to 6 digits: the code callers key on the phone. It cannot be changed later.',
        }),
        name: fieldView(FIELDS.name.id, 'name', 'Name', form, { maxlength: 200 }),
        class: fieldView(FIELDS.class.id, 'class', 'Site class', form, {
          empty: 'Choose the class',
          hint: 'Sets the SLA calendar and targets.',
          options: optionViews(
            SITE_CLASSES.map((c) => ({ value: c, label: siteClassLabel(c) })),
            values.class,
          ),
        }),
        trustCode: fieldView(FIELDS.trustCode.id, 'trustCode', 'Trust', form, {
          empty: 'Choose the trust',
          options: optionViews(
            trusts.map((t) => ({ value: t.code, label: t.name })),
            values.trustCode,
          ),
        }),
        town: fieldView(FIELDS.town.id, 'town', 'Town', form, { optional: true, maxlength: 100 }),
        accessNotes: fieldView(FIELDS.accessNotes.id, 'accessNotes', 'Access notes', form, {
          optional: true,
          rows: 4,
          maxlength: 2000,
          hint: 'What an engineer needs to get in: keys, codes to ask for, parking, opening times. Shown on every incident at the site.',
        }),
        active: {
          id: 'site-active',
          name: 'active',
          label: 'In use (offered when logging an incident)',
          checked: state ? state.active : (site?.active ?? true),
        },
      },
    };
  }

  async get(code: string): Promise<SiteDto> {
    return this.sites.get(code);
  }

  async create(body: Record<string, unknown>): Promise<SiteOutcome> {
    const { values, active } = readBody(body);
    const checked = checkDto(
      CreateSiteDto,
      {
        code: values.code.trim(),
        name: values.name,
        class: values.class,
        trustCode: values.trustCode,
        town: values.town.trim() || undefined,
        accessNotes: values.accessNotes.trim() || undefined,
        active,
      },
      FIELDS,
    );
    const refused = async (problems: FormProblem[]): Promise<SiteOutcome> => ({
      ok: false,
      status: 422,
      model: await this.form(null, { values, active, problems }, true),
    });
    const problems = [...(checked.ok ? [] : checked.problems), ...trustMissing(values)];
    if (!checked.ok || problems.length) return refused(problems);
    try {
      return { ok: true, code: (await this.sites.create(checked.value)).code };
    } catch (err) {
      const problems = err instanceof DomainError ? problemsFromRefusal(err, FIELDS) : null;
      if (!problems) throw err;
      return refused(problems);
    }
  }

  async update(code: string, body: Record<string, unknown>): Promise<SiteOutcome> {
    const site = await this.sites.get(code);
    const { values, active } = readBody(body);
    const checked = checkDto(
      UpdateSiteDto,
      {
        name: values.name,
        class: values.class,
        trustCode: values.trustCode,
        town: values.town.trim(),
        accessNotes: values.accessNotes.trim(),
        active,
      },
      FIELDS,
    );
    const refused = async (problems: FormProblem[]): Promise<SiteOutcome> => ({
      ok: false,
      status: 422,
      model: await this.form(site, { values: { ...values, code }, active, problems }, true),
    });
    const problems = [...(checked.ok ? [] : checked.problems), ...trustMissing(values)];
    if (!checked.ok || problems.length) return refused(problems);
    try {
      await this.sites.update(code, checked.value);
      return { ok: true, code };
    } catch (err) {
      const problems = err instanceof DomainError ? problemsFromRefusal(err, FIELDS) : null;
      if (!problems) throw err;
      return refused(problems);
    }
  }
}

/** The trust is required (the DTO takes any code and the service names an unknown one; empty is not chosen). */
function trustMissing(values: Record<string, string>): FormProblem[] {
  return values.trustCode.trim() ? [] : [{ field: FIELDS.trustCode.id, message: 'Choose the trust' }];
}

function readBody(body: Record<string, unknown>): { values: Record<string, string>; active: boolean } {
  return { values: formValues(body, NAMES), active: body.active === 'true' };
}
