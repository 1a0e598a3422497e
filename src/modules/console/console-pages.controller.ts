import { Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../common/errors/domain-error';
import { AttachmentsService } from '../attachments/attachments.service';
import { Public } from '../auth/auth.decorators';
import { parseReference } from '../incidents/domain/incident-reference';
import { visibleEventKinds } from '../incidents/incident-access';
import { isDeskStaff } from '../users/domain/roles';
import { IncidentQueries } from '../incidents/incident-queries.service';
import { layoutModel } from './console-layout';
import { ConsolePageFilter } from './console-page.filter';
import { formBody, sendHtml, SESSION_COOKIE, type ConsoleRequest } from './console-request';
import { ConsoleSessionGuard } from './console-session.guard';
import { ConsoleViews } from './console-views';
import { DONE_MESSAGES, isIncidentAction, readIncidentAction } from './domain/incident-actions';
import { readQueueRequest } from './domain/queues';
import { readSeen } from './domain/version-check';
import { IncidentActionsService } from './incident-actions.service';
import { IncidentPageService, type FormState } from './incident-page.service';
import { QueuePageService } from './queue-page.service';
import type { ActiveSession } from './sessions/console-sessions.service';
import { ConsoleSessions } from './sessions/console-sessions.service';

/** Statuses of the incident services' refusals that are shown on the incident page beside the form. */
const REFUSALS_ON_PAGE = new Set([400, 409, 413, 422]);

/**
 * The signed-in console: `GET /console` (queues), `GET /console/incidents/:reference` (the incident page),
 * `POST /console/incidents/:reference/:action` (its forms; 303 back to the page), attachments, and
 * `POST /console/logout`. ConsoleSessionGuard checks the session and the form token first.
 */
@Public()
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@UseGuards(ConsoleSessionGuard)
@Controller('console')
export class ConsolePagesController {
  constructor(
    private readonly queuePage: QueuePageService,
    private readonly incidentPage: IncidentPageService,
    private readonly actions: IncidentActionsService,
    private readonly queries: IncidentQueries,
    private readonly attachments: AttachmentsService,
    private readonly sessions: ConsoleSessions,
    private readonly views: ConsoleViews,
  ) {}

  @Get()
  async queue(
    @Query() query: Record<string, unknown>,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    const read = readQueueRequest(query, isDeskStaff(session.user));
    if (!read.ok)
      throw new DomainError(
        'CONSOLE.INVALID_QUERY',
        `This list address is not valid: ${read.problems.map((p) => `${p.field} (${p.message})`).join(', ')}.`,
      );
    const { selection } = read;
    // A reference typed into the search box opens that incident.
    if (selection.q && query.queue === undefined && parseReference(selection.q) !== null) {
      await res.redirect(`/console/incidents/${encodeURIComponent(selection.q.toUpperCase())}`, 303);
      return;
    }
    const model = await this.queuePage.build(selection, session.user);
    const title = selection.q ? `Search: ${selection.q}` : 'Queues';
    sendHtml(
      res,
      200,
      this.views.render('queue', {
        ...layoutModel(session, title, {
          search: selection.q ?? '',
          section: 'queues',
          live: '/console/live',
        }),
        ...model,
      }),
    );
  }

  @Post('logout')
  async logout(@Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    await this.sessions.end(sessionOf(req).id);
    void res.clearCookie(SESSION_COOKIE, { path: '/console' }).header('Cache-Control', 'no-store');
    await res.redirect('/console/login', 303);
  }

  @Get('incidents/:reference')
  async incident(
    @Param('reference') reference: string,
    @Query('done') done: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const message =
      done === 'created'
        ? 'Incident logged.'
        : typeof done === 'string' && isIncidentAction(done)
          ? DONE_MESSAGES[done]
          : null;
    await this.sendIncident(res, 200, reference, sessionOf(req), null, message, {
      doneAction: message && typeof done === 'string' ? done : null,
    });
  }

  @Post('incidents/:reference/:action')
  async act(
    @Param('reference') reference: string,
    @Param('action') action: string,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    if (!isIncidentAction(action)) throw new DomainError('CONSOLE.PAGE_NOT_FOUND', 'No such action.');
    const seen = readSeen(formBody(req));
    if (!seen.ok)
      throw new DomainError(
        'CONSOLE.INVALID_QUERY',
        `This form is not valid: ${seen.problems.map((p) => `${p.field} (${p.message})`).join(', ')}.`,
      );
    const read = readIncidentAction(action, formBody(req));
    const typed = (): Record<string, string> =>
      Object.fromEntries(
        Object.entries(formBody(req)).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    // Someone else changed the incident since this form's page was read: keep what was typed, show what changed.
    // A form that changes something is checked in the change's own transaction (IncidentActionsService); one
    // refused anyway is checked here, as nothing is written.
    const changed = async (): Promise<void> =>
      this.sendIncident(
        res,
        409,
        reference,
        session,
        { action, problems: [], values: typed(), changedSince: seen.seen?.event },
        null,
      );
    if (!read.ok && seen.seen && (await this.incidentPage.changedSince(reference, session.user, seen.seen))) {
      await changed();
      return;
    }
    if (!read.ok) {
      await this.sendIncident(
        res,
        422,
        reference,
        session,
        { action, problems: read.problems, values: read.values },
        null,
      );
      return;
    }
    try {
      await this.actions.apply(reference, read.command, session.user, seen.seen);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'CONSOLE.INCIDENT_CHANGED') {
        await changed();
        return;
      }
      if (!(err instanceof DomainError) || !REFUSALS_ON_PAGE.has(err.status)) throw err;
      await this.sendIncident(
        res,
        err.status,
        reference,
        session,
        { action, problems: [], values: typed(), refusal: err.message },
        null,
      );
      return;
    }
    await res.redirect(`/console/incidents/${encodeURIComponent(reference)}?done=${action}`, 303);
  }

  @Get('incidents/:reference/attachments/:id')
  async attachment(
    @Param('reference') reference: string,
    @Param('id') id: string,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const user = sessionOf(req).user;
    const incident = await this.queries.findVisible(reference, user);
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new DomainError('ATTACHMENT.NOT_FOUND', 'No such attachment.');
    // A file added with an internal note is as private as the note (the service leaves it out).
    const { view, data } = await this.attachments.content(incident.id, id, visibleEventKinds(user));
    const ascii = view.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    await res
      .header('Content-Type', view.contentType)
      .header(
        'Content-Disposition',
        `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(view.filename)}`,
      )
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'no-store')
      .send(data);
  }

  /** Anything else under /console (once signed in): a 404 page. */
  @Get('*')
  notFound(): never {
    throw new DomainError('CONSOLE.PAGE_NOT_FOUND', 'No such console page.');
  }

  private async sendIncident(
    res: FastifyReply,
    status: number,
    reference: string,
    session: ActiveSession,
    form: FormState | null,
    done: string | null,
    extra: object = {},
  ): Promise<void> {
    const model = (await this.incidentPage.build(reference, session.user, form, done)) as {
      reference: string;
      summary: string;
    };
    sendHtml(
      res,
      status,
      this.views.render('incident', {
        ...layoutModel(session, `${model.reference} ${model.summary}`, {
          section: 'incident',
          live: `/console/live?incident=${encodeURIComponent(model.reference)}`,
        }),
        ...model,
        ...extra,
      }),
    );
  }
}

function sessionOf(req: ConsoleRequest): ActiveSession {
  if (!req.consoleSession) throw new DomainError('CONSOLE.SIGN_IN_REQUIRED', 'Sign in to use the console.');
  return req.consoleSession;
}
