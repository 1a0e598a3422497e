import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/auth.decorators';
import { CSRF_FIELD, CsrfService } from '../../../common/web/csrf.service';
import { csrfInvalid } from './report-page.errors';
import { ReportPageFilter } from './report-page.filter';
import { REPORT_CSRF } from './report-views';
import { ReportStatusService } from './report-status.service';
import { clientIp, sendPage } from '../../../common/web/web-response';

/**
 * The reporter's status page behind the signed link from the acknowledgement: `GET /report/status/:token`, and
 * `POST /report/status/:token/comments` (a public reply as the reporter, then a 303 back to the page).
 */
@Public()
@ApiExcludeController()
@UseFilters(ReportPageFilter)
@Controller('report/status')
export class ReportStatusController {
  constructor(
    private readonly status: ReportStatusService,
    private readonly csrf: CsrfService,
  ) {}

  @Get(':token')
  async page(
    @Param('token') token: string,
    @Query('added') added: unknown,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    sendPage(
      res,
      200,
      await this.status.statusPage(token, this.csrf.tokenFor(req, res, REPORT_CSRF), {
        added: added === '1',
      }),
    );
  }

  @Post(':token/comments')
  async comment(
    @Param('token') token: string,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!this.csrf.verify(req, body[CSRF_FIELD], REPORT_CSRF)) throw csrfInvalid();
    const outcome = await this.status.comment(token, body.comment, clientIp(req));
    if (outcome.ok) {
      await res.redirect(`/report/status/${token}?added=1#timeline`, 303);
      return;
    }
    const html = await this.status.statusPage(token, this.csrf.tokenFor(req, res, REPORT_CSRF), {
      comment: outcome.value,
      error: outcome.error,
    });
    sendPage(res, outcome.status, html);
  }
}
