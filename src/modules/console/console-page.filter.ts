import { Catch, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain-error';
import { HtmlErrorFilter, type ErrorPage } from '../../common/web/html-error.filter';
import { layoutModel } from './console-layout';
import { isHtmx, SESSION_COOKIE, type ConsoleRequest } from './console-request';
import { ConsoleViews } from './console-views';

const QUEUES = { href: '/console', text: 'Go to the queues' };

/**
 * Errors on console pages as HTML (the shared HtmlErrorFilter, in the console's layout). No session: a 303 to
 * the sign-in page (for htmx, `HX-Redirect`, since fetch would follow a 303 into the region being swapped). Any
 * other error is a page with its status; for htmx it replaces the page's main region. Anything unexpected is a
 * 500 quoting an error id that is logged.
 */
@Catch()
export class ConsolePageFilter extends HtmlErrorFilter {
  constructor(views: ConsoleViews) {
    super(views, 'Console');
  }

  protected override answerWithoutPage(
    exception: unknown,
    req: FastifyRequest,
    reply: FastifyReply,
  ): boolean {
    if (!(exception instanceof DomainError) || exception.code !== 'CONSOLE.SIGN_IN_REQUIRED') return false;
    if (req.cookies[SESSION_COOKIE]) void reply.clearCookie(SESSION_COOKIE, { path: '/console' });
    void reply.header('Cache-Control', 'no-store');
    if (isHtmx(req)) void reply.header('HX-Redirect', '/console/login').status(200).send('');
    else void reply.redirect('/console/login', 303);
    return true;
  }

  protected knownError(exception: unknown): ErrorPage | null {
    if (exception instanceof DomainError) return pageFor(exception);
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      return {
        status,
        heading: status === 404 ? 'Page not found' : 'The request could not be used',
        paragraphs: [exception.message],
        link: QUEUES,
      };
    }
    return null;
  }

  protected unexpectedError(errorId: string): ErrorPage {
    return {
      status: 500,
      heading: 'Sorry, something went wrong',
      paragraphs: [
        'The console could not finish this request; nothing you sent may have been saved. Try again in a moment.',
        `If it keeps happening, tell the desk manager and quote error id ${errorId}.`,
      ],
      link: QUEUES,
    };
  }

  protected override pageModel(page: ErrorPage, req: FastifyRequest): object {
    return { ...layoutModel((req as ConsoleRequest).consoleSession, page.heading), ...page };
  }

  /** An htmx request's error page replaces the page's main region. */
  protected override pageHeaders(req: FastifyRequest): Record<string, string> {
    return isHtmx(req) ? { 'HX-Retarget': '#main', 'HX-Reselect': '#main', 'HX-Reswap': 'outerHTML' } : {};
  }
}

const NOT_FOUND_CODES = new Set<string>([
  'INCIDENT.NOT_FOUND',
  'CONSOLE.PAGE_NOT_FOUND',
  'ATTACHMENT.NOT_FOUND',
  'INTAKE.MESSAGE_NOT_FOUND',
  'USER.NOT_FOUND',
  'DIRECTORY.NOT_FOUND',
  'SLA.OVERRIDE_NOT_FOUND',
  'CONSOLE.JOB_NOT_FOUND',
]);

const INCIDENT_CODES = new Set<string>(['INCIDENT.NOT_FOUND', 'ATTACHMENT.NOT_FOUND']);

function pageFor(error: DomainError): ErrorPage {
  const retryAfter = error.details?.retryAfterSeconds;
  if (error.code === 'REQUEST.RATE_LIMITED')
    return {
      status: 429,
      heading: 'Too many sign-in attempts',
      paragraphs: [
        'There have been too many failed sign-ins for this account, or from your network address. Nothing was checked.',
        'Wait a minute, then try again.',
      ],
      link: { href: '/console/login', text: 'Back to sign in' },
      headers: typeof retryAfter === 'number' ? { 'Retry-After': String(retryAfter) } : undefined,
    };
  if (error.code === 'CONSOLE.CSRF_INVALID')
    return {
      status: 403,
      heading: 'This form has expired',
      paragraphs: [
        'The form was not sent from a current console page, so nothing has been changed.',
        'Open the page again and repeat what you were doing. If you signed in again in another tab, use that tab.',
      ],
      link: QUEUES,
    };
  if (NOT_FOUND_CODES.has(error.code))
    return {
      status: 404,
      heading: 'Page not found',
      paragraphs: [
        error.code === 'CONSOLE.PAGE_NOT_FOUND'
          ? 'There is no console page at this address.'
          : INCIDENT_CODES.has(error.code)
            ? 'There is no such incident or file, or it is not one you can see.'
            : `${error.message} It may have been removed, or the address is mistyped.`,
      ],
      link: QUEUES,
    };
  if (error.code === 'AUTH.FORBIDDEN')
    return {
      status: 403,
      heading: 'Not available to your role',
      paragraphs: [error.message, 'Nothing has been changed.'],
      link: QUEUES,
    };
  return {
    status: error.status,
    heading: error.status >= 500 ? 'Sorry, something went wrong' : 'The request could not be used',
    paragraphs: [error.message],
    link: QUEUES,
  };
}
