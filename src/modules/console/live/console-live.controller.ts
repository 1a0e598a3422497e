import {
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../../common/errors/domain-error';
import { Public } from '../../auth/auth.decorators';
import { IncidentQueries } from '../../incidents/incident-queries.service';
import { ConsolePageFilter } from '../console-page.filter';
import { formBody, type ConsoleRequest } from '../console-request';
import { ConsoleSessionGuard } from '../console-session.guard';
import { ConsoleLive, LIVE_STREAM_MS, type LiveClient } from './console-live.service';

/**
 * Live updates for open console pages: `GET /console/live` (a list) or `GET /console/live?incident=INC-000123`
 * (an incident page the user may see; else 404) is a server-sent event stream of `incident` events (which
 * incident changed) and, for the desk on an incident page, `presence` events (who else is there, who is typing).
 * `POST /console/incidents/:reference/typing` (CSRF-checked) says the desk user is typing a reply or a note.
 */
@Public()
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@UseGuards(ConsoleSessionGuard)
@Controller('console')
export class ConsoleLiveController {
  constructor(
    private readonly live: ConsoleLive,
    private readonly queries: IncidentQueries,
  ) {}

  @Get('live')
  async stream(
    @Query('incident') reference: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = req.consoleSession;
    if (!session) throw new DomainError('CONSOLE.SIGN_IN_REQUIRED', 'Sign in to use the console.');
    let incident: number | null = null;
    if (reference !== undefined) {
      if (typeof reference !== 'string') throw new DomainError('CONSOLE.PAGE_NOT_FOUND', 'No such incident.');
      incident = Number((await this.queries.findVisible(reference, session.user)).number);
    }
    res.hijack();
    const raw = res.raw;
    raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      Connection: 'keep-alive',
    });
    raw.write('retry: 1000\n\n');
    const client: LiveClient = {
      id: this.live.newId(),
      user: session.user,
      incident,
      write: (event, data) => {
        if (!raw.writableEnded) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      },
      comment: (text) => {
        if (!raw.writableEnded) raw.write(`: ${text}\n\n`);
      },
    };
    const end = setTimeout(() => raw.end(), LIVE_STREAM_MS);
    end.unref();
    raw.on('close', () => {
      clearTimeout(end);
      void this.live.close(client);
    });
    await this.live.open(client);
  }

  @Post('incidents/:reference/typing')
  @HttpCode(204)
  async typing(@Param('reference') reference: string, @Req() req: ConsoleRequest): Promise<void> {
    const session = req.consoleSession;
    if (!session) throw new DomainError('CONSOLE.SIGN_IN_REQUIRED', 'Sign in to use the console.');
    const what = formBody(req).what;
    if (what !== 'reply' && what !== 'note')
      throw new DomainError('CONSOLE.INVALID_QUERY', 'what: reply or note', { field: 'what' });
    const incident = await this.queries.findVisible(reference, session.user);
    await this.live.typing(session.user, Number(incident.number), what);
  }
}
