import { Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { errorSummary } from '../errors/error-summary';
import { maskUrl } from '../logging/mask-url';
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

/** The one thing the filter needs of a page set's views: its `error` template (PageViews, ConsoleViews). */
export interface ErrorPageRenderer {
  render(page: 'error', model: object): string;
}

/**
 * Errors on server-rendered pages as HTML pages (the API's filter answers JSON). A page set subclasses it with
 * its own wording: `knownError` maps the errors it expects to a page (an exhaustive switch over its codes), and
 * anything else is a 500 page quoting an error id that is logged with the error. A page set with a layout of its
 * own (the console's, with the signed-in user) adds to the template's model (`pageModel`) and to every error
 * page's headers (`pageHeaders`), and may answer some errors without a page at all (`answerWithoutPage`).
 */
export abstract class HtmlErrorFilter implements ExceptionFilter {
  private readonly logger: Logger;

  protected constructor(
    private readonly views: ErrorPageRenderer,
    area: string,
  ) {
    this.logger = new Logger(area);
  }

  /** The page for an error this page set expects, or null for anything else. */
  protected abstract knownError(exception: unknown, req: FastifyRequest): ErrorPage | null;

  /** The page for an unexpected error, quoting the id it was logged under. */
  protected abstract unexpectedError(errorId: string): ErrorPage;

  /** Answers an error some other way than a page (a redirect); true when it did. None by default. */
  protected answerWithoutPage(_exception: unknown, _req: FastifyRequest, _reply: FastifyReply): boolean {
    return false;
  }

  /** The `error` template's model: the page, and whatever the page set's layout needs. */
  protected pageModel(page: ErrorPage, _req: FastifyRequest): object {
    return { pageTitle: page.heading, ...page };
  }

  /** Headers every error page of this set carries for this request. None by default. */
  protected pageHeaders(_req: FastifyRequest): Record<string, string> {
    return {};
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const req = http.getRequest<FastifyRequest>();
    if (reply.sent) return;
    if (this.answerWithoutPage(exception, req, reply)) return;
    const page = this.knownError(exception, req) ?? this.unexpected(exception, req);
    const headers = { ...this.pageHeaders(req), ...page.headers };
    for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
    sendPage(reply, page.status, this.views.render('error', this.pageModel(page, req)));
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
