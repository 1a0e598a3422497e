import { Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../auth/auth.decorators';
import { ADMIN_ROLES, hasRole, MANAGER_ROLES, requireRole, sessionOf } from '../console-access';
import { ConsolePageFilter } from '../console-page.filter';
import { formBody, type ConsoleRequest } from '../console-request';
import { ConsoleSessionGuard } from '../console-session.guard';
import { ConsoleViews } from '../console-views';
import { MANAGERS_ONLY } from './admin-home.controller';
import { doneMessage, sendAdminPage } from './admin-view';
import { UsersAdminPage, type FormOutcome } from './users-admin.page';

const ADMINS_ONLY = 'Creating and changing users is for administrators only.';
const DONE = {
  created: 'User created. Give them their first password in person.',
  role: 'Role saved. Their sessions have ended: they sign in again to use it.',
  disabled: 'User disabled. They are signed out everywhere and cannot sign in.',
  enabled: 'User enabled. They may sign in again.',
  sessions: 'Their sessions have ended everywhere (the API and the console).',
  unchanged: 'Nothing was changed.',
};

/**
 * Users (desk managers read, administrators change): `GET /console/admin/users`, `…/new`, `…/:id`, and the
 * administrator's forms: `POST /console/admin/users` (create), `…/:id/role`, `…/:id/active`, `…/:id/sessions`.
 */
@Public()
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@UseGuards(ConsoleSessionGuard)
@Controller('console/admin/users')
export class UsersAdminController {
  constructor(
    private readonly page: UsersAdminPage,
    private readonly views: ConsoleViews,
  ) {}

  @Get()
  async list(
    @Query('cursor') cursor: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    const model = await this.page.list(
      typeof cursor === 'string' && cursor ? cursor : undefined,
      hasRole(session, ADMIN_ROLES),
    );
    sendAdminPage(this.views, res, 200, 'admin/users', session, 'Users', 'users', model);
  }

  @Get('new')
  async newForm(@Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, ADMIN_ROLES, ADMINS_ONLY);
    const model = await this.page.newForm({}, []);
    sendAdminPage(this.views, res, 200, 'admin/user-new', session, 'New user', 'users', model);
  }

  @Post()
  async create(@Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, ADMIN_ROLES, ADMINS_ONLY);
    const outcome = await this.page.create(formBody(req), session.user);
    if (outcome.ok) {
      await res.redirect(`/console/admin/users/${outcome.id}?done=created`, 303);
      return;
    }
    sendAdminPage(
      this.views,
      res,
      outcome.status,
      'admin/user-new',
      session,
      'New user: check the form',
      'users',
      outcome.model,
    );
  }

  @Get(':id')
  async detail(
    @Param('id') id: string,
    @Query('done') done: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    const model = await this.page.detail(id, hasRole(session, ADMIN_ROLES), {
      done: doneMessage(done, DONE),
      refusal: null,
    });
    sendAdminPage(this.views, res, 200, 'admin/user', session, 'User', 'users', model);
  }

  @Post(':id/role')
  async role(@Param('id') id: string, @Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, ADMIN_ROLES, ADMINS_ONLY);
    await this.answer(res, req, id, await this.page.changeRole(id, formBody(req), session.user), 'role');
  }

  @Post(':id/active')
  async active(@Param('id') id: string, @Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, ADMIN_ROLES, ADMINS_ONLY);
    const active = formBody(req).active === 'true';
    await this.answer(
      res,
      req,
      id,
      await this.page.setActive(id, active, session.user),
      active ? 'enabled' : 'disabled',
    );
  }

  @Post(':id/sessions')
  async sessions(
    @Param('id') id: string,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, ADMIN_ROLES, ADMINS_ONLY);
    await this.page.endSessions(id, session.user);
    await res.redirect(`/console/admin/users/${id}?done=sessions`, 303);
  }

  private async answer(
    res: FastifyReply,
    req: ConsoleRequest,
    id: string,
    outcome: FormOutcome,
    done: keyof typeof DONE,
  ): Promise<void> {
    if (outcome.ok) {
      await res.redirect(`/console/admin/users/${id}?done=${done}`, 303);
      return;
    }
    sendAdminPage(
      this.views,
      res,
      outcome.status,
      'admin/user',
      sessionOf(req),
      'User',
      'users',
      outcome.model,
    );
  }
}
