import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/errors/domain-error';
import { isUuid } from '../../../common/http/ids';
import type { Actor } from '../../audit/actor';
import type { AuthUser } from '../../auth/auth-user';
import { CatalogueService } from '../../directory/catalogue.service';
import { CreateUserDto, type UserDto } from '../../users/create-user.dto';
import { ROLES, type Role } from '../../users/domain/roles';
import { UsersService } from '../../users/users.service';
import { roleLabel } from '../domain/labels';
import { formatDateTime } from '../domain/london-time';
import {
  checkDto,
  formErrors,
  formValues,
  problemsFromRefusal,
  type FieldSpec,
  type FormProblem,
} from '../forms/console-form';
import { fieldView, optionViews } from '../forms/field-view';
import { ConsoleSessions } from '../sessions/console-sessions.service';

const CREATE_FIELDS: FieldSpec = {
  name: { id: 'user-name', label: 'name' },
  email: { id: 'user-email', label: 'email address' },
  role: { id: 'user-role', label: 'role', choose: true },
  trustCode: { id: 'user-trust', label: 'trust', choose: true },
  supplierCode: { id: 'user-supplier', label: 'supplier', choose: true },
  password: { id: 'user-password', label: 'password' },
};
const ROLE_FIELDS: FieldSpec = {
  role: { id: 'role-role', label: 'role', choose: true },
  trustCode: { id: 'role-trust', label: 'trust', choose: true },
  supplierCode: { id: 'role-supplier', label: 'supplier', choose: true },
};

export type FormOutcome = { ok: true; id: string } | { ok: false; status: number; model: object };

const asActor = (user: AuthUser): Actor => ({ kind: 'user', user, name: user.name });
const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);

/**
 * The users screens: the list, one user with their history, and an administrator's changes through
 * UsersService (create, role with trust or supplier, disable and enable, end sessions). A change that ends the
 * user's API tokens (role, binding, active) ends their console sessions too (ConsoleSessions.endAllForUser).
 */
@Injectable()
export class UsersAdminPage {
  constructor(
    private readonly users: UsersService,
    private readonly catalogue: CatalogueService,
    private readonly consoleSessions: ConsoleSessions,
  ) {}

  async list(cursor: string | undefined, canChange: boolean): Promise<object> {
    const page = await this.users.list(100, cursor);
    return {
      canChange,
      rows: page.items.map((u) => ({ ...userFacts(u), href: `/console/admin/users/${u.id}` })),
      next: page.nextCursor ? `/console/admin/users?cursor=${encodeURIComponent(page.nextCursor)}` : null,
      first: cursor ? '/console/admin/users' : null,
    };
  }

  async newForm(values: Record<string, string>, problems: FormProblem[]): Promise<object> {
    const form = { values, ...formErrors(problems) };
    return {
      errors: form.errors,
      fields: {
        name: fieldView('user-name', 'name', 'Name', form, { maxlength: 200, autocomplete: 'off' }),
        email: fieldView('user-email', 'email', 'Email address', form, {
          type: 'email',
          maxlength: 320,
          spellcheckOff: true,
          autocomplete: 'off',
          hint: 'They sign in with it.',
        }),
        ...(await this.roleFields('user', form)),
        password: fieldView('user-password', 'password', 'First password', form, {
          type: 'password',
          autocomplete: 'new-password',
          hint: '12 characters or more, not a common or guessable password, nor their name or address. Give it to them in person; they can keep it.',
        }),
      },
    };
  }

  async create(body: Record<string, unknown>, admin: AuthUser): Promise<FormOutcome> {
    const values = formValues(body, ['name', 'email', 'role', 'trustCode', 'supplierCode', 'password']);
    const binding = bindingFor(values.role, values.trustCode, values.supplierCode, CREATE_FIELDS);
    const checked = checkDto(
      CreateUserDto,
      {
        name: values.name,
        email: values.email.trim(),
        role: values.role,
        password: values.password,
        trustCode: binding.trustCode ?? undefined,
        supplierCode: binding.supplierCode ?? undefined,
      },
      CREATE_FIELDS,
    );
    const problems = [...binding.problems, ...(checked.ok ? [] : checked.problems)];
    const refused = async (list: FormProblem[]) => ({
      ok: false as const,
      status: 422,
      model: await this.newForm({ ...values, password: '' }, list),
    });
    if (problems.length || !checked.ok) return refused(problems);
    try {
      const created = await this.users.create(checked.value, asActor(admin));
      return { ok: true, id: created.id };
    } catch (err) {
      const onFields = err instanceof DomainError ? problemsFromRefusal(err, CREATE_FIELDS) : null;
      if (!onFields) throw err;
      return refused(onFields);
    }
  }

  async detail(
    id: string,
    canChange: boolean,
    notices: { done: string | null; refusal: string | null },
    roleForm: { values: Record<string, string>; problems: FormProblem[] } | null = null,
  ): Promise<object> {
    const user = await this.users.get(checkedId(id));
    const trail = await this.users.auditTrail(user.id, 50);
    const values = roleForm?.values ?? {
      role: user.role,
      trustCode: user.trustCode ?? '',
      supplierCode: user.supplierCode ?? '',
    };
    const form = { values, ...formErrors(roleForm?.problems ?? []) };
    return {
      ...notices,
      errors: form.errors,
      account: userFacts(user),
      canChange,
      actions: {
        role: `/console/admin/users/${user.id}/role`,
        active: `/console/admin/users/${user.id}/active`,
        sessions: `/console/admin/users/${user.id}/sessions`,
      },
      roleFields: canChange ? await this.roleFields('role', form) : null,
      history: trail.items.map((a) => ({
        at: formatDateTime(a.at),
        atIso: a.at,
        action: a.action.replace(/^user\./, '').replace(/_/g, ' '),
        actor: a.actor,
        changes: a.changes.map((c) => `${c.field}: ${show(c.old)} → ${show(c.new)}`).join('; '),
      })),
    };
  }

  async changeRole(id: string, body: Record<string, unknown>, admin: AuthUser): Promise<FormOutcome> {
    const values = formValues(body, ['role', 'trustCode', 'supplierCode']);
    const binding = bindingFor(values.role, values.trustCode, values.supplierCode, ROLE_FIELDS);
    const problems = isRole(values.role)
      ? binding.problems
      : [{ field: ROLE_FIELDS.role.id, message: 'Choose a role' }, ...binding.problems];
    const refused = async (list: FormProblem[], refusal: string | null = null) => ({
      ok: false as const,
      status: refusal ? 409 : 422,
      model: await this.detail(id, true, { done: null, refusal }, { values, problems: list }),
    });
    if (problems.length || !isRole(values.role)) return refused(problems);
    const patch = { role: values.role, trustCode: binding.trustCode, supplierCode: binding.supplierCode };
    return this.change(id, admin, patch, async (err) => {
      const onFields = problemsFromRefusal(err, ROLE_FIELDS);
      if (onFields) return refused(onFields);
      return err.status === 409 ? refused([], err.message) : null;
    });
  }

  async setActive(id: string, active: boolean, admin: AuthUser): Promise<FormOutcome> {
    return this.change(id, admin, { active }, async (err) =>
      err.status === 409
        ? {
            ok: false as const,
            status: 409,
            model: await this.detail(id, true, { done: null, refusal: err.message }),
          }
        : null,
    );
  }

  /** Ends every API token (UsersService.revokeSessions) and console session of the user. */
  async endSessions(id: string, admin: AuthUser): Promise<void> {
    await this.users.revokeSessions(checkedId(id), asActor(admin));
    await this.consoleSessions.endAllForUser(id);
  }

  private async change(
    id: string,
    admin: AuthUser,
    patch: { role?: Role; trustCode?: string | null; supplierCode?: string | null; active?: boolean },
    onRefusal: (err: DomainError) => Promise<FormOutcome | null>,
  ): Promise<FormOutcome> {
    const before = await this.users.get(checkedId(id));
    let after: UserDto;
    try {
      after = await this.users.update(id, patch, asActor(admin));
    } catch (err) {
      const outcome = err instanceof DomainError ? await onRefusal(err) : null;
      if (!outcome) throw err;
      return outcome;
    }
    // The same changes that end their tokens end their console sessions: they sign in again to get the new powers.
    const endsSessions = (['role', 'trustCode', 'supplierCode', 'active'] as const).some(
      (f) => before[f] !== after[f],
    );
    if (endsSessions) await this.consoleSessions.endAllForUser(id);
    return { ok: true, id };
  }

  private async roleFields(
    prefix: 'user' | 'role',
    form: { values: Record<string, string>; errorFor: Record<string, string> },
  ): Promise<object> {
    const [trusts, suppliers] = await Promise.all([
      this.catalogue.listTrusts(),
      this.catalogue.listSuppliers(),
    ]);
    return {
      role: fieldView(`${prefix}-role`, 'role', 'Role', form, {
        options: optionViews(
          ROLES.map((r) => ({ value: r, label: roleLabel(r) })),
          form.values.role,
        ),
        empty: prefix === 'user' ? 'Choose a role' : undefined,
      }),
      trustCode: fieldView(`${prefix}-trust`, 'trustCode', 'Trust', form, {
        hint: 'For a trust manager only: the trust whose incidents they see.',
        empty: 'None',
        options: optionViews(
          trusts.map((t) => ({ value: t.code, label: t.name })),
          form.values.trustCode,
        ),
      }),
      supplierCode: fieldView(`${prefix}-supplier`, 'supplierCode', 'Supplier', form, {
        hint: 'For a supplier user only: the supplier whose escalations they see.',
        empty: 'None',
        options: optionViews(
          suppliers.map((s) => ({ value: s.code, label: s.name })),
          form.values.supplierCode,
        ),
      }),
    };
  }
}

/**
 * A role's trust and supplier from the form: a trust manager needs a trust and a supplier user a supplier;
 * for any other role both are left out (the form offers them to every role, with a hint).
 */
function bindingFor(
  role: string,
  trustCode: string,
  supplierCode: string,
  fields: FieldSpec,
): { trustCode: string | null; supplierCode: string | null; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const trust = role === 'trust_manager' ? trustCode.trim() || null : null;
  const supplier = role === 'supplier' ? supplierCode.trim() || null : null;
  if (role === 'trust_manager' && !trust)
    problems.push({ field: fields.trustCode.id, message: 'Choose the trust this trust manager belongs to' });
  if (role === 'supplier' && !supplier)
    problems.push({ field: fields.supplierCode.id, message: 'Choose the supplier this user works for' });
  return { trustCode: trust, supplierCode: supplier, problems };
}

function userFacts(u: UserDto): object {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: roleLabel(u.role),
    binding: u.trustCode ? `trust ${u.trustCode}` : u.supplierCode ? `supplier ${u.supplierCode}` : null,
    active: u.active,
  };
}

function checkedId(id: string): string {
  if (!isUuid(id)) throw new DomainError('USER.NOT_FOUND', 'No such user.');
  return id;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
