import type { AuthUser } from '../auth/auth-user';

/** Who caused a change: a signed-in user, a reporter without an account (web form, email), or the desk itself. */
export type Actor =
  | { kind: 'user'; user: AuthUser; name: string }
  | { kind: 'reporter'; name: string; email: string | null; contactId: string | null }
  | { kind: 'system'; name: string };

export const SYSTEM_ACTOR: Actor = { kind: 'system', name: 'RoseDesk' };

export function actorUserId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.user.id : null;
}

/** A readable, stable label for the audit log. */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return actor.user.email;
    case 'reporter':
      return actor.email ? `reporter:${actor.email}` : `reporter:${actor.name}`;
    case 'system':
      return 'system';
  }
}
