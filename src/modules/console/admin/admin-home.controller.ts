import { Controller, Get, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../auth/auth.decorators';
import { ADMIN_ROLES, hasRole, MANAGER_ROLES, requireRole, sessionOf } from '../console-access';
import { ConsolePageFilter } from '../console-page.filter';
import type { ConsoleRequest } from '../console-request';
import { ConsoleSessionGuard } from '../console-session.guard';
import { ConsoleViews } from '../console-views';
import { adminAreas, sendAdminPage } from './admin-view';

export const MANAGERS_ONLY = 'The administration pages are for desk managers and administrators.';

/** `GET /console/admin`: the admin area's index (desk managers and administrators). */
@Public()
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@UseGuards(ConsoleSessionGuard)
@Controller('console/admin')
export class AdminHomeController {
  constructor(private readonly views: ConsoleViews) {}

  @Get()
  home(@Req() req: ConsoleRequest, @Res() res: FastifyReply): void {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    sendAdminPage(this.views, res, 200, 'admin/home', session, 'Administration', 'home', {
      areas: adminAreas(),
      isAdmin: hasRole(session, ADMIN_ROLES),
    });
  }
}
