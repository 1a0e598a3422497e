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
import { ContactsAdminPage } from './contacts-admin.page';
import { SitesAdminPage } from './sites-admin.page';

const SITES_ADMINS_ONLY = 'Adding and changing sites is for administrators only.';
const SAVED = { created: 'Saved.', saved: 'Saved.' };
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const cursorOf = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * Sites (desk managers read, administrators add and change): `GET /console/admin/sites` (`?q=` searches name,
 * town or code), `…/new`, `…/:code`, `POST /console/admin/sites` and `POST …/:code`.
 */
@Public()
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@UseGuards(ConsoleSessionGuard)
@Controller('console/admin/sites')
export class SitesAdminController {
  constructor(
    private readonly page: SitesAdminPage,
    private readonly views: ConsoleViews,
  ) {}

  @Get()
  async list(
    @Query('q') q: unknown,
    @Query('cursor') cursor: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    const model = await this.page.list(text(q), cursorOf(cursor), hasRole(session, ADMIN_ROLES));
    sendAdminPage(this.views, res, 200, 'admin/sites', session, 'Sites', 'sites', model);
  }

  @Get('new')
  async newForm(@Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, ADMIN_ROLES, SITES_ADMINS_ONLY);
    const model = await this.page.form(null, null, true);
    sendAdminPage(this.views, res, 200, 'admin/site', session, 'New site', 'sites', model);
  }

  @Post()
  async create(@Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, ADMIN_ROLES, SITES_ADMINS_ONLY);
    const outcome = await this.page.create(formBody(req));
    if (outcome.ok) {
      await res.redirect(`/console/admin/sites/${outcome.code}?done=created`, 303);
      return;
    }
    sendAdminPage(
      this.views,
      res,
      outcome.status,
      'admin/site',
      session,
      'New site: check the form',
      'sites',
      outcome.model,
    );
  }

  @Get(':code')
  async edit(
    @Param('code') code: string,
    @Query('done') done: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    const site = await this.page.get(code);
    const model = await this.page.form(site, null, hasRole(session, ADMIN_ROLES), {
      done: doneMessage(done, SAVED),
    });
    sendAdminPage(this.views, res, 200, 'admin/site', session, `Site ${site.code}`, 'sites', model);
  }

  @Post(':code')
  async update(
    @Param('code') code: string,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, ADMIN_ROLES, SITES_ADMINS_ONLY);
    const outcome = await this.page.update(code, formBody(req));
    if (outcome.ok) {
      await res.redirect(`/console/admin/sites/${outcome.code}?done=saved`, 303);
      return;
    }
    sendAdminPage(
      this.views,
      res,
      outcome.status,
      'admin/site',
      session,
      `Site ${code}: check the form`,
      'sites',
      outcome.model,
    );
  }
}

/**
 * Contacts (desk managers and administrators): `GET /console/admin/contacts` (`?q=` name, email or phone),
 * `…/new`, `…/:id`, `POST /console/admin/contacts` and `POST …/:id`.
 */
@Public()
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@UseGuards(ConsoleSessionGuard)
@Controller('console/admin/contacts')
export class ContactsAdminController {
  constructor(
    private readonly page: ContactsAdminPage,
    private readonly views: ConsoleViews,
  ) {}

  @Get()
  async list(
    @Query('q') q: unknown,
    @Query('cursor') cursor: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    const model = await this.page.list(text(q), cursorOf(cursor));
    sendAdminPage(this.views, res, 200, 'admin/contacts', session, 'Contacts', 'contacts', model);
  }

  @Get('new')
  async newForm(@Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    const model = await this.page.form(null, null);
    sendAdminPage(this.views, res, 200, 'admin/contact', session, 'New contact', 'contacts', model);
  }

  @Post()
  async create(@Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    const outcome = await this.page.create(formBody(req));
    if (outcome.ok) {
      await res.redirect(`/console/admin/contacts/${outcome.id}?done=created`, 303);
      return;
    }
    sendAdminPage(
      this.views,
      res,
      outcome.status,
      'admin/contact',
      session,
      'New contact: check the form',
      'contacts',
      outcome.model,
    );
  }

  @Get(':id')
  async edit(
    @Param('id') id: string,
    @Query('done') done: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    const contact = await this.page.get(id);
    const model = await this.page.form(contact, null, doneMessage(done, SAVED));
    sendAdminPage(this.views, res, 200, 'admin/contact', session, contact.name, 'contacts', model);
  }

  @Post(':id')
  async update(@Param('id') id: string, @Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    const outcome = await this.page.update(id, formBody(req));
    if (outcome.ok) {
      await res.redirect(`/console/admin/contacts/${outcome.id}?done=saved`, 303);
      return;
    }
    sendAdminPage(
      this.views,
      res,
      outcome.status,
      'admin/contact',
      session,
      'Contact: check the form',
      'contacts',
      outcome.model,
    );
  }
}
