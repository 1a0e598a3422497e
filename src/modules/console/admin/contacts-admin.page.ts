import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/errors/domain-error';
import { isUuid } from '../../../common/http/ids';
import { CatalogueService } from '../../directory/catalogue.service';
import { ContactsService } from '../../directory/contacts.service';
import { CreateContactDto, UpdateContactDto, type ContactDto } from '../../directory/dto/contact.dto';
import { SitesService } from '../../directory/sites.service';
import { toE164 } from '../../intake/web/domain/uk-phone';
import { pickSite } from '../domain/new-incident-form';
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
  name: { id: 'contact-name', label: 'name' },
  email: { id: 'contact-email', label: 'email address' },
  phone: { id: 'contact-phone', label: 'phone number' },
  trustCode: { id: 'contact-trust', label: 'trust', choose: true },
  usualSiteCode: { id: 'contact-site', label: 'usual site' },
};
const NAMES = ['name', 'email', 'phone', 'trustCode', 'usualSiteCode'] as const;

export type ContactOutcome = { ok: true; id: string } | { ok: false; status: number; model: object };
type FormState = { values: Record<string, string>; verified: boolean; problems: FormProblem[] };

/**
 * The contacts screens (desk managers and administrators): list and search (ContactsService.list), create and
 * edit. Phone numbers are typed as people say them and stored in E.164; the usual site by its code or name.
 */
@Injectable()
export class ContactsAdminPage {
  constructor(
    private readonly contacts: ContactsService,
    private readonly sites: SitesService,
    private readonly catalogue: CatalogueService,
  ) {}

  async list(q: string, cursor: string | undefined): Promise<object> {
    const query = q.trim().slice(0, 100);
    const page = await this.contacts.list({ q: query || undefined, cursor, limit: 100 });
    const search = query ? `q=${encodeURIComponent(query)}&` : '';
    return {
      q: query,
      rows: page.items.map((c) => ({
        href: `/console/admin/contacts/${c.id}`,
        name: c.name,
        email: c.email ?? '',
        phone: c.phone ?? '',
        trust: c.trustCode ?? '',
        site: c.usualSiteCode ?? '',
        verified: c.verified,
      })),
      next: page.nextCursor
        ? `/console/admin/contacts?${search}cursor=${encodeURIComponent(page.nextCursor)}`
        : null,
      first: cursor ? `/console/admin/contacts${query ? `?q=${encodeURIComponent(query)}` : ''}` : null,
    };
  }

  async get(id: string): Promise<ContactDto> {
    if (!isUuid(id)) throw new DomainError('DIRECTORY.NOT_FOUND', 'No such contact.');
    return this.contacts.get(id);
  }

  async form(
    contact: ContactDto | null,
    state: FormState | null,
    done: string | null = null,
  ): Promise<object> {
    const [trusts, sites] = await Promise.all([this.catalogue.listTrusts(), this.siteChoices()]);
    const values = state?.values ?? {
      name: contact?.name ?? '',
      email: contact?.email ?? '',
      phone: contact?.phone ?? '',
      trustCode: contact?.trustCode ?? '',
      usualSiteCode: contact?.usualSiteCode ?? '',
    };
    const form = { values, ...formErrors(state?.problems ?? []) };
    return {
      done,
      isNew: contact === null,
      contact: contact ? { name: contact.name } : null,
      action: contact ? `/console/admin/contacts/${contact.id}` : '/console/admin/contacts',
      errors: form.errors,
      sites: sites.map((s) => ({ value: s.code, label: s.name })),
      fields: {
        name: fieldView(FIELDS.name.id, 'name', 'Name', form, { maxlength: 200 }),
        email: fieldView(FIELDS.email.id, 'email', 'Email address', form, {
          type: 'email',
          maxlength: 320,
          spellcheckOff: true,
          optional: contact === null || !contact.email,
          hint: 'Mail from this address is matched to them. It can be changed but not removed.',
        }),
        phone: fieldView(FIELDS.phone.id, 'phone', 'Phone number', form, {
          type: 'tel',
          optional: true,
          hint: 'For example 01772 123456 or 07700 900123.',
        }),
        trustCode: fieldView(FIELDS.trustCode.id, 'trustCode', 'Trust', form, {
          empty: contact?.trustCode ? undefined : 'From their usual site',
          optional: true,
          options: optionViews(
            trusts.map((t) => ({ value: t.code, label: t.name })),
            values.trustCode,
          ),
        }),
        usualSiteCode: fieldView(FIELDS.usualSiteCode.id, 'usualSiteCode', 'Usual site', form, {
          optional: true,
          list: 'contact-site-options',
          autocomplete: 'off',
          hint: 'The site’s code or name. Incidents they report start there.',
        }),
        verified: {
          id: 'contact-verified',
          name: 'verified',
          label: 'Verified (the desk knows this person)',
          checked: state ? state.verified : (contact?.verified ?? true),
          hint: 'Contacts made from an unknown sender’s mail or the web form start unverified.',
        },
      },
    };
  }

  async create(body: Record<string, unknown>): Promise<ContactOutcome> {
    const read = await this.read(body, null);
    if (!read.ok) return this.refused(null, read.state, read.state.problems);
    const checked = checkDto(CreateContactDto, read.plain, FIELDS);
    if (!checked.ok) return this.refused(null, read.state, checked.problems);
    try {
      return { ok: true, id: (await this.contacts.create(checked.value)).id };
    } catch (err) {
      return this.refusedBy(err, null, read.state);
    }
  }

  async update(id: string, body: Record<string, unknown>): Promise<ContactOutcome> {
    const contact = await this.get(id);
    const read = await this.read(body, contact);
    if (!read.ok) return this.refused(contact, read.state, read.state.problems);
    const checked = checkDto(UpdateContactDto, read.plain, FIELDS);
    if (!checked.ok) return this.refused(contact, read.state, checked.problems);
    try {
      await this.contacts.update(contact.id, checked.value);
      return { ok: true, id: contact.id };
    } catch (err) {
      return this.refusedBy(err, contact, read.state);
    }
  }

  /** The form as the DTO takes it: an empty optional field is left out (the service cannot clear one). */
  private async read(
    body: Record<string, unknown>,
    contact: ContactDto | null,
  ): Promise<
    { ok: true; plain: Record<string, unknown>; state: FormState } | { ok: false; state: FormState }
  > {
    const values = formValues(body, NAMES);
    const verified = body.verified === 'true';
    const problems: FormProblem[] = [];
    const email = values.email.trim();
    if (!email && contact?.email)
      problems.push({
        field: FIELDS.email.id,
        message: 'Enter the email address: it can be changed but not removed',
      });
    const phoneText = values.phone.trim();
    const phone = phoneText ? toE164(phoneText) : null;
    if (phoneText && !phone)
      problems.push({
        field: FIELDS.phone.id,
        message: 'Enter a phone number like 01772 123456 or +44 7700 900123, or leave it empty',
      });
    let usualSiteCode: string | undefined;
    if (values.usualSiteCode.trim()) {
      const site = pickSite(values.usualSiteCode, await this.siteChoices());
      if (site.ok) usualSiteCode = site.code;
      else problems.push({ field: FIELDS.usualSiteCode.id, message: site.message });
    }
    const state = { values, verified, problems };
    if (problems.length) return { ok: false, state };
    return {
      ok: true,
      state,
      plain: {
        name: values.name,
        email: email || undefined,
        phone: phone ?? undefined,
        trustCode: values.trustCode.trim() || undefined,
        usualSiteCode,
        verified,
      },
    };
  }

  private async siteChoices(): Promise<{ code: string; name: string }[]> {
    return (await this.sites.list({ limit: 500 })).items.map((s) => ({ code: s.code, name: s.name }));
  }

  private async refused(
    contact: ContactDto | null,
    state: FormState,
    problems: FormProblem[],
  ): Promise<ContactOutcome> {
    return { ok: false, status: 422, model: await this.form(contact, { ...state, problems }) };
  }

  private async refusedBy(
    err: unknown,
    contact: ContactDto | null,
    state: FormState,
  ): Promise<ContactOutcome> {
    const problems = err instanceof DomainError ? problemsFromRefusal(err, FIELDS) : null;
    if (!problems) throw err;
    return this.refused(contact, state, problems);
  }
}
