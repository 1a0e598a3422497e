import { findTemplateDir } from '../../../common/templates/handlebars';
import type { CsrfScope } from '../../../common/web/csrf.service';
import { PageViews } from '../../../common/web/page-views';

export const WEB_PAGES = ['report-form', 'report-thanks', 'report-status', 'error'] as const;
export type WebPage = (typeof WEB_PAGES)[number];

export const WEB_ASSETS = {
  'report.css': 'text/css; charset=utf-8',
  'site-filter.js': 'text/javascript; charset=utf-8',
} as const;

/** The public pages' CSRF cookie (see CsrfService). */
export const REPORT_CSRF: CsrfScope = { cookie: 'rosedesk_report_csrf', path: '/report', purpose: 'report' };

/** The public pages (`templates/web`): the fault form, its thanks and status pages, the error page. */
export class ReportViews extends PageViews<WebPage> {
  constructor(directory: string = findTemplateDir('web')) {
    super(directory, { pages: WEB_PAGES, assets: WEB_ASSETS });
  }
}
