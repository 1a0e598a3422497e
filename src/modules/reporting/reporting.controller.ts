import { Controller, Get, Header, Headers, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
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
import { BREACH_PAGE_DEFAULT, BreachPageQueryDto, SlaReportQueryDto } from './dto/sla-report-query.dto';
import { BreachPageDto, GroupFiguresDto, SlaReportDto, SupplierFiguresDto } from './dto/sla-report.dto';
import { PackComparisonDto, PackVersionDto } from './dto/report-pack.dto';
import { ReportPacks, type PackComparison, type PackVersionView } from './report-packs.service';
import { SlaReportService, type BreachPage, type ReportTarget } from './sla-report.service';

/**
 * Reports are management information: desk managers and admins (any trust, or all) and trust managers (their own
 * trust only). Agents work incidents rather than read reports, and suppliers see only their escalations: both 403.
 */
const REPORT_READERS: Role[] = ['desk_manager', 'admin', 'trust_manager'];
const PACK_MANAGERS: Role[] = ['desk_manager', 'admin'];

@ApiTags('reports')
@ApiBearerAuth()
@ApiExtraModels(GroupFiguresDto, SupplierFiguresDto)
@Controller('api/reports')
export class ReportingController {
  constructor(
    private readonly reports: SlaReportService,
    private readonly packs: ReportPacks,
  ) {}

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
    await reply.header('Cache-Control', 'no-store').send(await this.packs.report(target));
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

  @Get('sla/breaches')
  @Roles(...REPORT_READERS)
  @ApiOperation({
    summary:
      "Every breached clock of the SLA report's period, paged, most minutes over first (the report lists the worst 100). Computed now, also for a frozen month. Same trust rule as the report",
  })
  @ApiOkResponse({ type: BreachPageDto })
  @Header('Cache-Control', 'no-store')
  async breaches(@Query() query: BreachPageQueryDto, @CurrentUser() user: AuthUser): Promise<BreachPage> {
    const { offset, limit, ...ask } = query;
    return this.reports.breaches(await this.reports.target(user, ask), {
      offset: offset ?? 0,
      limit: limit ?? BREACH_PAGE_DEFAULT,
    });
  }

  @Get('sla/packs/:trust/:month')
  @Roles(...PACK_MANAGERS)
  @ApiOperation({
    summary:
      "A trust's frozen monthly packs (every version) and how the report computed now differs from the latest (desk manager, admin)",
  })
  @ApiOkResponse({ type: PackComparisonDto })
  compare(
    @Param('trust') trust: string,
    @Param('month') month: string,
    @CurrentUser() user: AuthUser,
  ): Promise<PackComparison> {
    return this.packs.compare(user, trust, month);
  }

  @Post('sla/packs/:trust/:month/versions')
  @Roles(...PACK_MANAGERS)
  @ApiOperation({
    summary:
      'Issue a new version of a closed month’s pack from the report computed now (409 when nothing changed); old versions are kept',
  })
  @ApiCreatedResponse({ type: PackVersionDto })
  issue(
    @Param('trust') trust: string,
    @Param('month') month: string,
    @CurrentUser() user: AuthUser,
  ): Promise<PackVersionView> {
    return this.packs.issue(user, trust, month);
  }

  private async sendCsv(target: ReportTarget, reply: FastifyReply): Promise<void> {
    const name = `sla-${target.trust?.code ?? 'all'}-${target.period.from}-${target.period.to}.csv`;
    const frozen = await this.packs.frozenCsv(target);
    if (frozen !== null) {
      await reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${name}"`)
        .header('Cache-Control', 'no-store')
        .send(frozen);
      return;
    }
    const body = new PassThrough();
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
