import type { FastifyRequest } from 'fastify';
import type { CsrfScope } from '../../common/web/csrf.service';
import { sendPage } from '../../common/web/web-response';
import type { ActiveSession } from './sessions/console-sessions.service';

export const SESSION_COOKIE = 'rosedesk_console_session';

/**
 * The sign-in form's CSRF cookie (CsrfService's signed double-submit): before sign-in there is no session to
 * hold a token. Every page after sign-in uses its session's own token instead (ConsoleSessionGuard).
 */
export const CONSOLE_LOGIN_CSRF: CsrfScope = {
  cookie: 'rosedesk_console_login',
  path: '/console/login',
  purpose: 'console-login',
};

/** A console request once ConsoleSessionGuard has let it through. */
export type ConsoleRequest = FastifyRequest & { consoleSession?: ActiveSession };

/** True for a request htmx made (it says so in `HX-Request`). */
export const isHtmx = (req: FastifyRequest): boolean => req.headers['hx-request'] === 'true';

/** Sends a console page: never cached (it carries the user's data and a form token). */
export const sendHtml = sendPage;

/** A form body's fields (urlencoded forms arrive parsed as an object of strings). */
export function formBody(req: FastifyRequest): Record<string, unknown> {
  const body = req.body;
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}
