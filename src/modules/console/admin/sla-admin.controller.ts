import { Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../auth/auth.decorators';
import { MANAGER_ROLES, requireRole, sessionOf } from '../console-access';
import { ConsolePageFilter } from '../console-page.filter';
import { formBody, type ConsoleRequest } from '../console-request';
import { ConsoleSessionGuard } from '../console-session.guard';
import { ConsoleViews } from '../console-views';
import type { ActiveSession } from '../sessions/console-sessions.service';
import { MANAGERS_ONLY } from './admin-home.controller';
import { doneMessage, sendAdminPage } from './admin-view';
import { SlaAdminPage } from './sla-admin.page';

const POLICY_DONE = {
  policies: 'Policies saved. They apply to incidents logged from now on.',
  unchanged: 'Nothing was changed.',
};
const HOLIDAY_DONE = {
  added: 'Override saved. Running clocks on calendars that close on bank holidays are checked again.',
  removed: 'Override removed.',
};

/**
 * SLA (desk managers and administrators): `GET /console/admin/sla` and `POST …/policies`; `GET
 * …/calendars`, `…/calendars/new`, `…/calendars/:code`, `POST …/calendars` and `POST …/calendars/:code`;
 * `GET …/holidays?year=`, `POST …/holidays` and `POST …/holidays/:date/delete`.
 */
@Public()
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@UseGuards(ConsoleSessionGuard)
@Controller('console/admin/sla')
export class SlaAdminPagesController {
  constructor(
    private readonly page: SlaAdminPage,
    private readonly views: ConsoleViews,
  ) {}

  @Get()
  async policies(
    @Query('done') done: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = managerOf(req);
    const model = await this.page.policies({ done: doneMessage(done, POLICY_DONE) });
    sendAdminPage(this.views, res, 200, 'admin/sla-policies', session, 'SLA policies', 'sla', model);
  }

  @Post('policies')
  async savePolicies(@Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = managerOf(req);
    const outcome = await this.page.updatePolicies(formBody(req), session.user);
    if (outcome.ok) {
      await res.redirect(`/console/admin/sla?done=${outcome.value}`, 303);
      return;
    }
    sendAdminPage(
      this.views,
      res,
      outcome.status,
      'admin/sla-policies',
      session,
      'SLA policies: check the form',
      'sla',
      outcome.model,
    );
  }

  @Get('calendars')
  async calendars(@Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = managerOf(req);
    sendAdminPage(
      this.views,
      res,
      200,
      'admin/sla-calendars',
      session,
      'Business calendars',
      'sla',
      await this.page.calendars(),
    );
  }

  @Get('calendars/new')
  async newCalendar(@Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = managerOf(req);
    sendAdminPage(
      this.views,
      res,
      200,
      'admin/sla-calendar',
      session,
      'New calendar',
      'sla',
      await this.page.calendar(null, null),
    );
  }

  @Post('calendars')
  async createCalendar(@Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    await this.saveCalendar(req, res, null);
  }

  @Get('calendars/:code')
  async calendar(
    @Param('code') code: string,
    @Query('done') done: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = managerOf(req);
    const model = await this.page.calendar(
      code,
      null,
      doneMessage(done, { saved: 'Calendar saved. Running clocks on it are checked again.' }),
    );
    sendAdminPage(this.views, res, 200, 'admin/sla-calendar', session, 'Calendar', 'sla', model);
  }

  @Post('calendars/:code')
  async updateCalendar(
    @Param('code') code: string,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    await this.saveCalendar(req, res, code);
  }

  @Get('holidays')
  async holidays(
    @Query('year') year: unknown,
    @Query('done') done: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = managerOf(req);
    const model = await this.page.holidays(year, { done: doneMessage(done, HOLIDAY_DONE) });
    sendAdminPage(this.views, res, 200, 'admin/sla-holidays', session, 'Bank holidays', 'sla', model);
  }

  @Post('holidays')
  async addOverride(@Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = managerOf(req);
    const outcome = await this.page.addOverride(formBody(req), session.user);
    if (outcome.ok) {
      await res.redirect(`/console/admin/sla/holidays?year=${outcome.value}&done=added`, 303);
      return;
    }
    sendAdminPage(
      this.views,
      res,
      outcome.status,
      'admin/sla-holidays',
      session,
      'Bank holidays: check the form',
      'sla',
      outcome.model,
    );
  }

  @Post('holidays/:date/delete')
  async removeOverride(
    @Param('date') date: string,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    managerOf(req);
    const year = await this.page.removeOverride(date);
    await res.redirect(`/console/admin/sla/holidays?year=${year}&done=removed`, 303);
  }

  private async saveCalendar(req: ConsoleRequest, res: FastifyReply, code: string | null): Promise<void> {
    const session = managerOf(req);
    const outcome = await this.page.saveCalendar(code, formBody(req));
    if (outcome.ok) {
      await res.redirect(`/console/admin/sla/calendars/${outcome.value}?done=saved`, 303);
      return;
    }
    sendAdminPage(
      this.views,
      res,
      outcome.status,
      'admin/sla-calendar',
      session,
      'Calendar: check the form',
      'sla',
      outcome.model,
    );
  }
}

function managerOf(req: ConsoleRequest): ActiveSession {
  const session = sessionOf(req);
  requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
  return session;
}
