import { Catch } from '@nestjs/common';
import { HtmlErrorFilter, type ErrorPage } from '../../../common/web/html-error.filter';
import { ReportPageError, type ReportPageErrorCode } from './report-page.errors';
import { ReportViews } from './report-views';

/**
 * Errors on the public pages as HTML pages: each ReportPageError code maps to a status and a page in one
 * exhaustive switch; anything else is a 500 page quoting an error id that is logged.
 */
@Catch()
export class ReportPageFilter extends HtmlErrorFilter {
  constructor(views: ReportViews) {
    super(views, 'WebIntake');
  }

  protected knownError(exception: unknown): ErrorPage | null {
    if (!(exception instanceof ReportPageError)) return null;
    const page = pageFor(exception.code, exception);
    const retryAfter = exception.details.retryAfterSeconds;
    return retryAfter ? { ...page, headers: { 'Retry-After': String(retryAfter) } } : page;
  }

  protected unexpectedError(errorId: string): ErrorPage {
    return {
      status: 500,
      heading: 'Sorry, there is a problem with the service',
      paragraphs: [
        'We could not finish this request. Please try again in a few minutes.',
        'If the fault you are reporting is urgent, phone the service desk now.',
        `If you contact the desk about this error, quote error id ${errorId}.`,
      ],
      link: { href: '/report', text: 'Go back to the fault form' },
    };
  }
}

function pageFor(code: ReportPageErrorCode, error: ReportPageError): ErrorPage {
  switch (code) {
    case 'REPORT.CSRF_INVALID':
      return {
        status: 403,
        heading: 'Your form has expired',
        paragraphs: [
          'We could not accept the form because it was open too long, or your browser did not send it from this site. Nothing has been saved.',
          'Open the form again, fill it in and send it. Your browser must accept cookies from this site.',
        ],
        link: { href: '/report', text: 'Open the fault form again' },
      };
    case 'REPORT.LINK_INVALID':
      return {
        status: 404,
        heading: 'This link is invalid or has expired',
        paragraphs: [
          'Status links work for a limited time and only exactly as we sent them. Check that you copied the whole link from our email.',
          'You can still reply to our email (keep the reference in the subject) or report a new fault.',
        ],
        link: { href: '/report', text: 'Report a fault' },
      };
    case 'REPORT.FORM_INCOMPLETE':
      return {
        status: 400,
        heading: 'Your form did not arrive complete',
        paragraphs: [
          'Part of the form was lost on the way, so we could not read it. Nothing has been saved.',
          'Open the form again, fill it in and send it. If you attached a large file, check your connection first.',
        ],
        link: { href: '/report', text: 'Open the fault form again' },
      };
    case 'REPORT.RATE_LIMITED': {
      const minutes = Math.max(1, Math.ceil((error.details.retryAfterSeconds ?? 3600) / 60));
      const who = error.details.by === 'email' ? 'this email address' : 'your network address';
      return {
        status: 429,
        heading: 'Too many reports in a short time',
        paragraphs: [
          `We have had a lot of reports from ${who} in the last hour, so we have paused new ones for about ${minutes} minute${minutes === 1 ? '' : 's'}. Nothing from this attempt has been saved.`,
          'If you have already reported this fault, you do not need to report it again: add a comment through the link in our email instead.',
          'If the fault is urgent, phone the service desk.',
        ],
        link: null,
      };
    }
  }
}
