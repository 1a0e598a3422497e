import { Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { errorSummary } from '../errors/error-summary';
import { maskUrl } from '../logging/mask-url';
import type { PageViews } from './page-views';
import { sendPage } from './web-response';

/** What an error page says: rendered by the page set's `error` template. */
export interface ErrorPage {
  status: number;
  heading: string;
  paragraphs: string[];
  link: { href: string; text: string } | null;
  /** Extra response headers (e.g. Retry-After). */
  headers?: Record<string, string>;
}

/**
 * Errors on server-rendered pages as HTML pages (the API's filter answers JSON). A page set subclasses it with
 * its own wording: `knownError` maps the errors it expects to a page (an exhaustive switch over its codes), and
 * anything else is a 500 page quoting an error id that is logged with the error.
 */
export abstract class HtmlErrorFilter implements ExceptionFilter {
  private readonly logger: Logger;

  protected constructor(
    private readonly views: PageViews,
    area: string,
  ) {
    this.logger = new Logger(area);
  }

  /** The page for an error this page set expects, or null for anything else. */
  protected abstract knownError(exception: unknown): ErrorPage | null;

  /** The page for an unexpected error, quoting the id it was logged under. */
  protected abstract unexpectedError(errorId: string): ErrorPage;

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    if (reply.sent) return;
    const page = this.knownError(exception) ?? this.unexpected(exception, http.getRequest<FastifyRequest>());
    for (const [name, value] of Object.entries(page.headers ?? {})) void reply.header(name, value);
    sendPage(reply, page.status, this.views.render('error', { pageTitle: page.heading, ...page }));
  }

  private unexpected(exception: unknown, req: FastifyRequest): ErrorPage {
    const errorId = randomUUID();
    this.logger.error(
      { errorId, path: maskUrl(req.url, req.routeOptions.url), err: errorSummary(exception) },
      'Unhandled error on a page',
    );
    return this.unexpectedError(errorId);
  }
}
