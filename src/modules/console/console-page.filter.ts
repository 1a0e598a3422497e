import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../common/errors/domain-error';
import { errorSummary } from '../../common/errors/error-summary';
import { maskUrl } from '../../common/logging/mask-url';
import { layoutModel } from './console-layout';
import { isHtmx, sendHtml, SESSION_COOKIE, type ConsoleRequest } from './console-request';
import { ConsoleViews } from './console-views';

interface ErrorPage {
  status: number;
  heading: string;
  paragraphs: string[];
  link: { href: string; text: string } | null;
}

/**
 * Errors on console pages as HTML (the API's filter answers JSON). No session: a 303 to the sign-in page (for
 * htmx, `HX-Redirect`, since fetch would follow a 303 into the region being swapped). Any other error is a
 * page with its status; for htmx it replaces the page's main region. Anything unexpected is a 500 quoting an
 * error id that is logged.
 */
@Catch()
export class ConsolePageFilter implements ExceptionFilter {
  private readonly logger = new Logger('Console');

  constructor(private readonly views: ConsoleViews) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const req = http.getRequest<ConsoleRequest>();
    if (reply.sent) return;
    if (exception instanceof DomainError && exception.code === 'CONSOLE.SIGN_IN_REQUIRED') {
      if (req.cookies[SESSION_COOKIE]) void reply.clearCookie(SESSION_COOKIE, { path: '/console' });
      if (isHtmx(req)) {
        void reply
          .header('HX-Redirect', '/console/login')
          .header('Cache-Control', 'no-store')
          .status(200)
          .send('');
      } else {
        void reply.header('Cache-Control', 'no-store').redirect('/console/login', 303);
      }
      return;
    }
    const page = exception instanceof DomainError ? pageFor(exception) : this.other(exception, req);
    const retryAfter = exception instanceof DomainError ? exception.details?.retryAfterSeconds : undefined;
    if (typeof retryAfter === 'number') void reply.header('Retry-After', String(retryAfter));
    if (isHtmx(req)) {
      void reply
        .header('HX-Retarget', '#main')
        .header('HX-Reselect', '#main')
        .header('HX-Reswap', 'outerHTML');
    }
    sendHtml(
      reply,
      page.status,
      this.views.render('error', { ...layoutModel(req.consoleSession, page.heading), ...page }),
    );
  }

  private other(exception: unknown, req: ConsoleRequest): ErrorPage {
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      return {
        status,
        heading: status === 404 ? 'Page not found' : 'The request could not be used',
        paragraphs: [exception.message],
        link: { href: '/console', text: 'Go to the queues' },
      };
    }
    const errorId = randomUUID();
    this.logger.error(
      { errorId, path: maskUrl(req.url, req.routeOptions.url), err: errorSummary(exception) },
      'Unhandled error on a console page',
    );
    return {
      status: 500,
      heading: 'Sorry, something went wrong',
      paragraphs: [
        'The console could not finish this request; nothing you sent may have been saved. Try again in a moment.',
        `If it keeps happening, tell the desk manager and quote error id ${errorId}.`,
      ],
      link: { href: '/console', text: 'Go to the queues' },
    };
  }
}

const NOT_FOUND_CODES = new Set<string>([
  'INCIDENT.NOT_FOUND',
  'CONSOLE.PAGE_NOT_FOUND',
  'ATTACHMENT.NOT_FOUND',
]);

function pageFor(error: DomainError): ErrorPage {
  const queues = { href: '/console', text: 'Go to the queues' };
  if (error.code === 'REQUEST.RATE_LIMITED')
    return {
      status: 429,
      heading: 'Too many sign-in attempts',
      paragraphs: [
        'There have been too many failed sign-ins for this account, or from your network address. Nothing was checked.',
        'Wait a minute, then try again.',
      ],
      link: { href: '/console/login', text: 'Back to sign in' },
    };
  if (error.code === 'CONSOLE.CSRF_INVALID')
    return {
      status: 403,
      heading: 'This form has expired',
      paragraphs: [
        'The form was not sent from a current console page, so nothing has been changed.',
        'Open the page again and repeat what you were doing. If you signed in again in another tab, use that tab.',
      ],
      link: queues,
    };
  if (NOT_FOUND_CODES.has(error.code))
    return {
      status: 404,
      heading: 'Page not found',
      paragraphs: [
        error.code === 'CONSOLE.PAGE_NOT_FOUND'
          ? 'There is no console page at this address.'
          : 'There is no such incident or file, or it is not one you can see.',
      ],
      link: queues,
    };
  if (error.code === 'AUTH.FORBIDDEN')
    return {
      status: 403,
      heading: 'Not available to your role',
      paragraphs: [error.message, 'Nothing has been changed.'],
      link: queues,
    };
  return {
    status: error.status,
    heading: error.status >= 500 ? 'Sorry, something went wrong' : 'The request could not be used',
    paragraphs: [error.message],
    link: queues,
  };
}
