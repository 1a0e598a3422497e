import { DomainError } from '../../common/errors/domain-error';
import { isDeskStaff, type Role } from '../users/domain/roles';
import type { ConsoleRequest } from './console-request';
import type { ActiveSession } from './sessions/console-sessions.service';

/** The desk's managers: the admin screens (intake log, users, directory, SLA, queue health) are theirs. */
export const MANAGER_ROLES: readonly Role[] = ['desk_manager', 'admin'];
/** Changes the API keeps for administrators (users, sites) are theirs on the console too. */
export const ADMIN_ROLES: readonly Role[] = ['admin'];
/** Logging a call: the desk's own staff. */
export const DESK_ONLY: readonly Role[] = ['agent', 'desk_manager', 'admin'];

/** The session ConsoleSessionGuard found (it always has, past the guard). */
export function sessionOf(req: ConsoleRequest): ActiveSession {
  if (!req.consoleSession) throw new DomainError('CONSOLE.SIGN_IN_REQUIRED', 'Sign in to use the console.');
  return req.consoleSession;
}

/**
 * A screen or form some roles only may use. Desk staff without the role get 403 ("not available to your role");
 * trust managers and supplier users, who have no desk screens at all, get the console's 404 as for any address
 * they may not see.
 */
export function requireRole(session: ActiveSession, roles: readonly Role[], refusal: string): void {
  if (roles.includes(session.user.role)) return;
  if (!isDeskStaff(session.user)) throw new DomainError('CONSOLE.PAGE_NOT_FOUND', 'No such console page.');
  throw new DomainError('AUTH.FORBIDDEN', refusal);
}

export const hasRole = (session: ActiveSession, roles: readonly Role[]): boolean =>
  roles.includes(session.user.role);
