import { Controller, Get, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../../common/errors/domain-error';
import { Public } from '../../auth/auth.decorators';
import { CatalogueService } from '../../directory/catalogue.service';
import { ReportPacks } from '../../reporting/report-packs.service';
import { SlaReportService } from '../../reporting/sla-report.service';
import type { Role } from '../../users/domain/roles';
import { requireRole, sessionOf } from '../console-access';
import { layoutModel } from '../console-layout';
import { ConsolePageFilter } from '../console-page.filter';
import { sendHtml, type ConsoleRequest } from '../console-request';
import { ConsoleSessionGuard } from '../console-session.guard';
import { ConsoleViews } from '../console-views';
import { reportsPageView } from './reports-page.view';

/** Who may open the reports page: as the API (desk managers and admins any trust, trust managers their own). */
export const REPORT_ROLES: readonly Role[] = ['desk_manager', 'admin', 'trust_manager'];

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * `GET /console/reports?trust=&from=&to=`: the SLA report with server-drawn SVG charts (no script), every chart's
 * figures also as a table, and a print layout. The same service, scope and trust rule as `/api/reports/sla`.
 */
@Public()
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@UseGuards(ConsoleSessionGuard)
@Controller('console/reports')
export class ReportsPageController {
  constructor(
    private readonly reports: SlaReportService,
    private readonly packs: ReportPacks,
    private readonly directory: CatalogueService,
    private readonly views: ConsoleViews,
  ) {}

  @Get()
  async page(
    @Query() query: Record<string, unknown>,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, REPORT_ROLES, 'Reports are for desk managers, administrators and trust managers.');
    const ask = { trust: text(query.trust), from: text(query.from), to: text(query.to) };
    const target = await this.reports.target(session.user, ask).catch((err: unknown) => {
      // A bad date typed into the form: the console's own 400 page, naming it.
      if (err instanceof DomainError && err.code === 'REQUEST.VALIDATION_FAILED')
        throw new DomainError('CONSOLE.INVALID_QUERY', err.message);
      throw err;
    });
    const [report, monthly] = await Promise.all([
      this.packs.report(target),
      this.reports.monthlyMetPercent(target),
    ]);
    const trusts =
      session.user.role === 'trust_manager'
        ? null
        : (await this.directory.listTrusts()).map((t) => ({ code: t.code, name: t.name }));
    sendHtml(
      res,
      200,
      this.views.render('reports', {
        ...reportsPageView(report, monthly, { trusts, trust: target.trust?.code ?? null }),
        ...layoutModel(session, `SLA report ${report.from} to ${report.to}`, { section: 'reports' }),
      }),
    );
  }
}
