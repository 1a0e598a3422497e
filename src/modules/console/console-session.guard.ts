import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { sameToken, submittedCsrfToken } from '../../common/web/csrf.service';
import { SESSION_COOKIE, type ConsoleRequest } from './console-request';
import { ConsoleSessions } from './sessions/console-sessions.service';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Requests an open page makes by itself, not the user: the live stream (`/console/live`, reopened every few
 * minutes) and the page's re-read after a live event (`X-Live-Refresh`). They do not count as use, so a console left
 * open still reaches the idle timeout.
 */
export function isBrowserInitiated(req: Pick<ConsoleRequest, 'method' | 'url' | 'headers'>): boolean {
  if (!SAFE_METHODS.has(req.method)) return false;
  const path = req.url.split('?')[0];
  return path === '/console/live' || req.headers['x-live-refresh'] === 'true';
}

/**
 * Every console page past sign-in: the session cookie must name a live session (else the filter sends the
 * browser to the sign-in page), and every request that may change something must carry the session's form
 * token (a synchronizer token bound to the session), as the `_csrf` field or (htmx) the `X-CSRF-Token` header,
 * checked before any handler runs, with the same comparison as CsrfService.
 */
@Injectable()
export class ConsoleSessionGuard implements CanActivate {
  constructor(private readonly sessions: ConsoleSessions) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ConsoleRequest>();
    const session = await this.sessions.resolve(req.cookies[SESSION_COOKIE], {
      activity: !isBrowserInitiated(req),
    });
    if (!session) throw new DomainError('CONSOLE.SIGN_IN_REQUIRED', 'Sign in to use the console.');
    req.consoleSession = session;
    if (!SAFE_METHODS.has(req.method) && !sameToken(session.csrfToken, submittedCsrfToken(req)))
      throw new DomainError('CONSOLE.CSRF_INVALID', 'The form token is missing or wrong.');
    return true;
  }
}
