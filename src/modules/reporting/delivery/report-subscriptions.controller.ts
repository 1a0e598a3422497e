import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto, type Page } from '../../../common/http/pagination';
import { UuidPipe } from '../../../common/http/ids';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Roles } from '../../auth/auth.decorators';
import {
  CreateReportSubscriptionDto,
  ReportDeliveryPageDto,
  ReportSubscriptionDto,
  ReportSubscriptionPageDto,
  type ReportDeliveryDto,
} from './dto/report-subscription.dto';
import { ReportSubscriptions } from './report-subscriptions.service';

/** Scheduled SLA report mail: who gets which trust's report, when, and what each run decided. */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('desk_manager', 'admin')
@Controller('api/reports/subscriptions')
export class ReportSubscriptionsController {
  constructor(private readonly subscriptions: ReportSubscriptions) {}

  @Post()
  @ApiOperation({
    summary:
      'Subscribe a user to the SLA report by email, weekly or monthly, at a day and time in Europe/London (desk manager, admin). A trust manager may receive only their own trust; a desk manager or admin any trust, or every trust (trust omitted)',
  })
  @ApiCreatedResponse({ type: ReportSubscriptionDto })
  create(
    @Body() dto: CreateReportSubscriptionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<ReportSubscriptionDto> {
    return this.subscriptions.create(dto, user);
  }

  @Get()
  @ApiOperation({ summary: 'Every report subscription, oldest first' })
  @ApiOkResponse({ type: ReportSubscriptionPageDto })
  list(@Query() page: PageQueryDto): Promise<Page<ReportSubscriptionDto>> {
    return this.subscriptions.list(page.limit, page.cursor);
  }

  @Get(':id')
  @ApiOkResponse({ type: ReportSubscriptionDto })
  get(@Param('id', UuidPipe) id: string): Promise<ReportSubscriptionDto> {
    return this.subscriptions.get(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop a subscription (its delivery log is kept)' })
  @ApiNoContentResponse()
  async remove(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    await this.subscriptions.remove(id, user);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary:
      "A subscription's delivery log, newest period first: sent (with the outbound mail) or skipped and why",
  })
  @ApiOkResponse({ type: ReportDeliveryPageDto })
  deliveries(
    @Param('id', UuidPipe) id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<ReportDeliveryDto>> {
    return this.subscriptions.deliveryLog(id, page.limit, page.cursor);
  }
}
