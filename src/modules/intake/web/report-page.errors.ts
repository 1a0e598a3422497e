/** Why a public page cannot be served; ReportPageFilter maps each code to a status and an HTML page. */
export const REPORT_PAGE_ERRORS = [
  'REPORT.CSRF_INVALID',
  'REPORT.LINK_INVALID',
  'REPORT.RATE_LIMITED',
  'REPORT.FORM_INCOMPLETE',
] as const;
export type ReportPageErrorCode = (typeof REPORT_PAGE_ERRORS)[number];

export class ReportPageError extends Error {
  constructor(
    readonly code: ReportPageErrorCode,
    message: string,
    readonly details: { retryAfterSeconds?: number; by?: 'address' | 'email' } = {},
  ) {
    super(message);
    this.name = 'ReportPageError';
  }
}

export const csrfInvalid = (): ReportPageError =>
  new ReportPageError('REPORT.CSRF_INVALID', 'The form token is missing or does not match the cookie');
export const linkInvalid = (): ReportPageError =>
  new ReportPageError('REPORT.LINK_INVALID', 'The status link is malformed, forged or expired');
export const rateLimited = (by: 'address' | 'email', retryAfterSeconds: number): ReportPageError =>
  new ReportPageError('REPORT.RATE_LIMITED', `Too many reports from this ${by}`, { by, retryAfterSeconds });
export const formIncomplete = (): ReportPageError =>
  new ReportPageError('REPORT.FORM_INCOMPLETE', 'The form body was cut off or is not valid multipart');
