export const ROLES = ['agent', 'desk_manager', 'trust_manager', 'supplier', 'admin'] as const;
export type Role = (typeof ROLES)[number];
