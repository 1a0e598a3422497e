export const ROLES = ['agent', 'desk_manager', 'trust_manager', 'supplier', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The desk's own staff: they see and work every incident. */
export const DESK_ROLES: Role[] = ['agent', 'desk_manager', 'admin'];

/** Roles that may read incidents (each within its scope) and add public replies. */
export const READER_ROLES: Role[] = [...DESK_ROLES, 'trust_manager', 'supplier'];

export function isDeskStaff(user: { role: Role }): boolean {
  return DESK_ROLES.includes(user.role);
}
