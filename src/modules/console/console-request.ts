import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ActiveSession } from './sessions/console-sessions.service';

export const SESSION_COOKIE = 'rosedesk_console_session';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** A console request once ConsoleSessionGuard has let it through. */
export type ConsoleRequest = FastifyRequest & { consoleSession?: ActiveSession };

/** True for a request htmx made (it says so in `HX-Request`). */
export const isHtmx = (req: FastifyRequest): boolean => req.headers['hx-request'] === 'true';

/** Sends a console page: never cached (it carries the user's data and a form token). */
export function sendHtml(reply: FastifyReply, status: number, html: string): void {
  void reply.status(status).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html);
}

/** A form body's fields (urlencoded forms arrive parsed as an object of strings). */
export function formBody(req: FastifyRequest): Record<string, unknown> {
  const body = req.body;
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}
