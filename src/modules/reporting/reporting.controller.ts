import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { Role } from '../users/user.entity';
import { SlaReportQueryDto } from './dto/sla-report-query.dto';
import { GroupFiguresDto, SlaReportDto, SupplierFiguresDto } from './dto/sla-report.dto';
import { SlaReportService, type ReportTarget } from './sla-report.service';

/**
 * Reports are management information: desk managers and admins (any trust, or all) and trust managers (their own
 * trust only). Agents work incidents rather than read reports, and suppliers see only their escalations: both 403.
 */
const REPORT_READERS: Role[] = ['desk_manager', 'admin', 'trust_manager'];

@ApiTags('reports')
@ApiBearerAuth()
@ApiExtraModels(GroupFiguresDto, SupplierFiguresDto)
@Controller('api/reports')
export class ReportingController {
  constructor(private readonly reports: SlaReportService) {}

  @Get('sla')
  @Roles(...REPORT_READERS)
  @ApiOperation({
    summary:
      'SLA report of a trust (or of every trust) for a period: JSON, or with Accept: text/csv one CSV row per incident (streamed). A trust manager may ask only for their own trust (another is 404)',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: SlaReportDto })
  async sla(
    @Query() query: SlaReportQueryDto,
    @CurrentUser() user: AuthUser,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.reports.target(user, query);
    if (wantsCsv(accept)) return this.sendCsv(target, reply);
    await reply.header('Cache-Control', 'no-store').send(await this.reports.report(target));
  }

  @Get('sla.csv')
  @Roles(...REPORT_READERS)
  @ApiOperation({ summary: 'The SLA report period as CSV, one row per incident (streamed)' })
  @ApiProduces('text/csv')
  async slaCsv(
    @Query() query: SlaReportQueryDto,
    @CurrentUser() user: AuthUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.sendCsv(await this.reports.target(user, query), reply);
  }

  private async sendCsv(target: ReportTarget, reply: FastifyReply): Promise<void> {
    const body = new PassThrough();
    const name = `sla-${target.trust?.code ?? 'all'}-${target.period.from}-${target.period.to}.csv`;
    void reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${name}"`)
      .header('Cache-Control', 'no-store')
      .send(body);
    // Headers are gone once rows flow: a failure part-way ends the body early (the client sees a cut CSV).
    await this.reports.writeCsv(target, body).catch((err: unknown) => body.destroy(err as Error));
  }
}

/** text/csv asked for, and preferred to JSON (no q-value games: the first of the two that appears wins). */
export function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const csv = accept.indexOf('text/csv');
  if (csv < 0) return false;
  const json = accept.indexOf('application/json');
  return json < 0 || csv < json;
}
