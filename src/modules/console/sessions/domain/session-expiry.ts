/** The times of a console session, as stored. */
export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
  /** createdAt + the absolute timeout, fixed at sign-in. */
  expiresAt: Date;
}

export interface SessionLimits {
  idleMs: number;
}

/** Why a session is no longer usable, or that it is. */
export type SessionState = 'active' | 'idle_timeout' | 'absolute_timeout';

/** A session is over once `now` reaches its absolute end, or once it has gone unused for the idle timeout. */
export function sessionState(session: SessionTimes, limits: SessionLimits, now: Date): SessionState {
  if (now.getTime() >= session.expiresAt.getTime()) return 'absolute_timeout';
  if (now.getTime() - session.lastSeenAt.getTime() >= limits.idleMs) return 'idle_timeout';
  return 'active';
}

/** The longest gap between writes of `lastSeenAt`: a minute, or a tenth of the idle timeout when that is shorter. */
export function touchIntervalMs(limits: SessionLimits): number {
  return Math.min(60_000, Math.floor(limits.idleMs / 10));
}

/**
 * Whether this request should record itself as the session's last use. Writing on every request would cost a
 * row update per page; writing at most once per touch interval keeps the idle timeout within that interval.
 */
export function shouldTouch(session: SessionTimes, limits: SessionLimits, now: Date): boolean {
  return now.getTime() - session.lastSeenAt.getTime() >= touchIntervalMs(limits);
}

/** The session cookie's attributes: HttpOnly, SameSite=Lax, Secure when the desk is served over https. */
export function sessionCookieOptions(
  publicBaseUrl: string,
  maxAgeSeconds: number,
): { httpOnly: true; sameSite: 'lax'; secure: boolean; path: string; maxAge: number } {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: publicBaseUrl.toLowerCase().startsWith('https:'),
    path: '/console',
    maxAge: maxAgeSeconds,
  };
}
