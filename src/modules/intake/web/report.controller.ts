import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/auth.decorators';
import { CSRF_FIELD, CsrfService } from '../../../common/web/csrf.service';
import { EMPTY_FORM, readReportForm } from './domain/report-form';
import { ReportFormPage } from './report-form.page';
import { ReportIntakeService } from './report-intake.service';
import { csrfInvalid } from './report-page.errors';
import { ReportPageFilter } from './report-page.filter';
import { ReportStatusService } from './report-status.service';
import { ReportUploadReader } from './report-upload.reader';
import { REPORT_CSRF, ReportViews } from './report-views';
import { clientIp, sendPage } from '../../../common/web/web-response';

const CHOOSE_FILE_AGAIN =
  'Choose your file again before you send the form: browsers do not keep a chosen file when a page is shown again.';

/**
 * The public fault form for clinicians without an account: `GET /report` (the form), `GET /report/sites`
 * (the form with the site list narrowed by trust and search text, for browsers without JavaScript),
 * `POST /report` (send it, or `action=find-sites` to narrow the site list keeping every entered value),
 * `GET /report/thanks/:token` (the reference, after a 303 from a successful POST).
 */
@Public()
@ApiExcludeController()
@UseFilters(ReportPageFilter)
@Controller('report')
export class ReportController {
  constructor(
    private readonly formPage: ReportFormPage,
    private readonly intake: ReportIntakeService,
    private readonly status: ReportStatusService,
    private readonly uploads: ReportUploadReader,
    private readonly csrf: CsrfService,
    private readonly views: ReportViews,
  ) {}

  @Get()
  async form(@Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    sendPage(res, 200, await this.formPage.render(EMPTY_FORM, [], this.csrf.tokenFor(req, res, REPORT_CSRF)));
  }

  @Get('sites')
  async sites(
    @Query() query: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    sendPage(
      res,
      200,
      await this.formPage.render(readReportForm(query), [], this.csrf.tokenFor(req, res, REPORT_CSRF)),
    );
  }

  @Post()
  async submit(@Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    const upload = await this.uploads.read(req);
    const body = upload.fields;
    const values = readReportForm(body);
    if (body.action === 'find-sites') {
      const notice = upload.file ? CHOOSE_FILE_AGAIN : null;
      sendPage(
        res,
        200,
        await this.formPage.render(values, [], this.csrf.tokenFor(req, res, REPORT_CSRF), notice),
      );
      return;
    }
    if (!this.csrf.verify(req, body[CSRF_FIELD], REPORT_CSRF)) throw csrfInvalid();
    const outcome = await this.intake.submit(values, upload, clientIp(req), body[CSRF_FIELD]);
    switch (outcome.kind) {
      case 'invalid': {
        const notice = upload.file ? CHOOSE_FILE_AGAIN : null;
        sendPage(
          res,
          outcome.status,
          await this.formPage.render(
            values,
            outcome.errors,
            this.csrf.tokenFor(req, res, REPORT_CSRF),
            notice,
          ),
        );
        return;
      }
      case 'created':
        await res.redirect(
          `/report/thanks/${outcome.token}${outcome.attachment === 'none' ? '' : `?attachment=${outcome.attachment}`}`,
          303,
        );
        return;
    }
  }

  @Get('thanks/:token')
  async thanks(
    @Param('token') token: string,
    @Query('attachment') attachment: unknown,
    @Res() res: FastifyReply,
  ): Promise<void> {
    sendPage(
      res,
      200,
      await this.status.thanksPage(token, typeof attachment === 'string' ? attachment : undefined),
    );
  }

  /** The form's stylesheet and its optional site filter script (the CSP allows only same-origin files). */
  @Get('static/:file')
  async asset(
    @Param('file') file: string,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    if (await this.views.sendAsset(file, req, res)) return;
    this.views.send(res, 404, 'error', {
      pageTitle: 'Page not found',
      heading: 'Page not found',
      paragraphs: [],
      link: { href: '/report', text: 'Report a fault' },
    });
  }
}
