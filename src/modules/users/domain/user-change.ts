import type { Role } from './roles';

/** A user as an administrator sees and changes them. */
export interface UserState {
  name: string;
  role: Role;
  trustCode: string | null;
  supplierCode: string | null;
  active: boolean;
}

/** An administrator's change: absent fields stay; `null` unbinds a trust or supplier. */
export interface UserPatch {
  name?: string;
  role?: Role;
  trustCode?: string | null;
  supplierCode?: string | null;
  active?: boolean;
}

export interface FieldProblem {
  field: string;
  reasons: string[];
}

const FIELDS = ['name', 'role', 'trustCode', 'supplierCode', 'active'] as const;

/** A trust manager is bound to exactly one trust, a supplier user to exactly one supplier, no one else to either. */
export function bindingProblems(
  role: Role,
  trustCode: string | null | undefined,
  supplierCode: string | null | undefined,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (role === 'trust_manager' && !trustCode)
    problems.push({ field: 'trustCode', reasons: ['required for a trust_manager'] });
  if (role !== 'trust_manager' && trustCode)
    problems.push({ field: 'trustCode', reasons: ['only a trust_manager is bound to a trust'] });
  if (role === 'supplier' && !supplierCode)
    problems.push({ field: 'supplierCode', reasons: ['required for a supplier user'] });
  if (role !== 'supplier' && supplierCode)
    problems.push({ field: 'supplierCode', reasons: ['only a supplier user is bound to a supplier'] });
  return problems;
}

/**
 * The user after `patch`, which fields changed, and whether their tokens must end: a token carries the role,
 * trust, supplier and (by being valid) the active flag, so any change to those ends it; a new name does not.
 * A role that no longer takes a trust or supplier drops it; the resulting combination is checked as a create is.
 */
export function planUserChange(
  current: UserState,
  patch: UserPatch,
): { next: UserState; changed: (keyof UserState)[]; endsSessions: boolean; problems: FieldProblem[] } {
  const role = patch.role ?? current.role;
  const next: UserState = {
    name: patch.name?.trim() ?? current.name,
    role,
    trustCode:
      patch.trustCode !== undefined ? patch.trustCode : role === 'trust_manager' ? current.trustCode : null,
    supplierCode:
      patch.supplierCode !== undefined
        ? patch.supplierCode
        : role === 'supplier'
          ? current.supplierCode
          : null,
    active: patch.active ?? current.active,
  };
  const changed = FIELDS.filter((f) => next[f] !== current[f]);
  return {
    next,
    changed,
    endsSessions: changed.some((f) => f !== 'name'),
    problems: bindingProblems(next.role, next.trustCode, next.supplierCode),
  };
}

/**
 * True when the change would leave the desk with no active administrator (no one could then manage users):
 * the user is an active admin, would no longer be one, and no other active admin exists.
 */
export function leavesNoActiveAdmin(current: UserState, next: UserState, otherActiveAdmins: number): boolean {
  const isActiveAdmin = (u: UserState): boolean => u.role === 'admin' && u.active;
  return isActiveAdmin(current) && !isActiveAdmin(next) && otherActiveAdmins === 0;
}
