import { Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { isUuid } from '../../../common/http/ids';
import { Public } from '../../auth/auth.decorators';
import { DESK_ONLY, requireRole, sessionOf } from '../console-access';
import { layoutModel } from '../console-layout';
import { ConsolePageFilter } from '../console-page.filter';
import { formBody, isHtmx, sendHtml, type ConsoleRequest } from '../console-request';
import { ConsoleSessionGuard } from '../console-session.guard';
import { ConsoleViews } from '../console-views';
import { callerView, NewIncidentPageService } from './new-incident-page.service';

const REFUSAL = 'Logging a call is for the desk’s own staff.';

/**
 * `GET /console/incidents/new`: the form for a call (`?caller=` searches contacts: for htmx only the results
 * region; `?contact=` fills the caller in from one); `POST` creates the incident and opens its page. Desk
 * staff only (404 for other roles, as for any page they may not see).
 */
@Public()
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@UseGuards(ConsoleSessionGuard)
@Controller('console/incidents/new')
export class NewIncidentController {
  constructor(
    private readonly page: NewIncidentPageService,
    private readonly views: ConsoleViews,
  ) {}

  @Get()
  async form(
    @Query('caller') caller: unknown,
    @Query('contact') contact: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, DESK_ONLY, REFUSAL);
    const search = await this.page.callers(session.user, typeof caller === 'string' ? caller : '');
    if (isHtmx(req) && caller !== undefined) {
      sendHtml(res, 200, this.views.renderPartial('caller-results', { caller: callerView(search) }));
      return;
    }
    const picked = typeof contact === 'string' && isUuid(contact) ? contact : null;
    const model = await this.page.blank(session.user, search, picked);
    sendHtml(
      res,
      200,
      this.views.render('new-incident', {
        ...layoutModel(session, 'New incident', { section: 'new-incident' }),
        ...model,
      }),
    );
  }

  @Post()
  async create(@Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, DESK_ONLY, REFUSAL);
    const outcome = await this.page.create(session.user, formBody(req));
    if (outcome.ok) {
      await res.redirect(`/console/incidents/${outcome.reference}?done=created`, 303);
      return;
    }
    sendHtml(
      res,
      422,
      this.views.render('new-incident', {
        ...layoutModel(session, 'New incident: check the form', { section: 'new-incident' }),
        ...outcome.model,
      }),
    );
  }
}
