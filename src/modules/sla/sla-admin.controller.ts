import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '../../common/http/pagination';
import type { Actor } from '../audit/actor';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { Role } from '../users/user.entity';
import type { IncidentSlaDto } from './dto/incident-sla.dto';
import {
  CalendarInputDto,
  CalendarView,
  HolidayQueryDto,
  HolidayView,
  OverrideInputDto,
  OverrideView,
  PolicyHistoryQueryDto,
  PolicyVersionView,
  PolicyView,
  UpdatePoliciesDto,
} from './dto/sla-admin.dto';
import { SlaAdminService } from './sla-admin.service';

const READERS: Role[] = ['agent', 'desk_manager', 'admin', 'trust_manager'];
const MANAGERS: Role[] = ['desk_manager', 'admin'];
const asActor = (user: AuthUser): Actor => ({ kind: 'user', user, name: user.email });
const page = <T>(items: T[]): Page<T> => ({ items, nextCursor: null });

@ApiTags('sla')
@ApiBearerAuth()
@Controller('api/sla')
export class SlaAdminController {
  constructor(private readonly admin: SlaAdminService) {}

  @Get('policies')
  @Roles(...READERS)
  @ApiOperation({
    summary:
      'SLA policies in force: site class × priority → calendar, response and resolution (business minutes)',
  })
  async policies(): Promise<Page<PolicyView>> {
    return page(await this.admin.listPolicies());
  }

  @Put('policies')
  @Roles(...MANAGERS)
  @ApiOperation({
    summary:
      'Change policies (desk manager, admin). Applies to incidents logged from now on; recalculate others explicitly',
  })
  @ApiOkResponse({ type: [PolicyView] })
  async updatePolicies(
    @Body() dto: UpdatePoliciesDto,
    @CurrentUser() user: AuthUser,
  ): Promise<Page<PolicyView>> {
    return page(await this.admin.updatePolicies(dto, asActor(user)));
  }

  @Get('policies/history')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Every value each policy has had, newest first' })
  policyHistory(@Query() query: PolicyHistoryQueryDto): Promise<Page<PolicyVersionView>> {
    return this.admin.policyHistory(query);
  }

  @Get('calendars')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Business calendars' })
  async calendars(): Promise<Page<CalendarView>> {
    return page(await this.admin.listCalendars());
  }

  @Put('calendars/:code')
  @Roles(...MANAGERS)
  @ApiOperation({
    summary:
      'Create or replace a calendar (desk manager, admin); running clocks on it are re-checked at once',
  })
  @ApiOkResponse({ type: CalendarView })
  putCalendar(@Param('code') code: string, @Body() dto: CalendarInputDto): Promise<CalendarView> {
    return this.admin.putCalendar(code, dto);
  }

  @Get('holidays')
  @Roles(...READERS)
  @ApiOperation({
    summary:
      'England & Wales bank holidays in force (the 2009–2030 table with the overrides), for a year or all',
  })
  async holidays(@Query() query: HolidayQueryDto): Promise<Page<HolidayView>> {
    return page(await this.admin.holidays(query.year));
  }

  @Get('holidays/overrides')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The admin overrides of the bank-holiday table' })
  async overrides(): Promise<Page<OverrideView>> {
    return page(await this.admin.listOverrides());
  }

  @Put('holidays/overrides/:date')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Add a closed day, or remove a table holiday, on a date (desk manager, admin)' })
  @ApiOkResponse({ type: OverrideView })
  putOverride(
    @Param('date') date: string,
    @Body() dto: OverrideInputDto,
    @CurrentUser() user: AuthUser,
  ): Promise<OverrideView> {
    return this.admin.putOverride(date, dto, asActor(user));
  }

  @Delete('holidays/overrides/:date')
  @Roles(...MANAGERS)
  @HttpCode(204)
  @ApiOperation({ summary: 'Drop an override (desk manager, admin)' })
  @ApiNoContentResponse()
  deleteOverride(@Param('date') date: string): Promise<void> {
    return this.admin.deleteOverride(date);
  }
}

@ApiTags('sla')
@ApiBearerAuth()
@Controller('api/incidents')
export class SlaIncidentController {
  constructor(private readonly admin: SlaAdminService) {}

  @Post(':reference/sla/recalculate')
  @Roles(...MANAGERS)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Apply the policy in force now to this incident and recompute its clocks from its history (desk manager, admin)',
  })
  recalculate(
    @Param('reference') reference: string,
    @CurrentUser() user: AuthUser,
  ): Promise<{ reference: string; sla: IncidentSlaDto | null }> {
    return this.admin.recalculate(reference, asActor(user));
  }
}
