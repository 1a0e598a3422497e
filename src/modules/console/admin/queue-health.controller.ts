import { Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../../common/errors/domain-error';
import { Public } from '../../auth/auth.decorators';
import { MANAGER_ROLES, requireRole, sessionOf } from '../console-access';
import { ConsolePageFilter } from '../console-page.filter';
import type { ConsoleRequest } from '../console-request';
import { ConsoleSessionGuard } from '../console-session.guard';
import { ConsoleViews } from '../console-views';
import type { ActiveSession } from '../sessions/console-sessions.service';
import { MANAGERS_ONLY } from './admin-home.controller';
import { doneMessage, sendAdminPage } from './admin-view';
import { queueHealthView } from './queue-health.view';
import { QueueHealthService } from './queue-health.service';

/**
 * `GET /console/admin/queues`: each queue's counts and failed jobs; `POST
 * /console/admin/queues/:queue/jobs/:id/retry` runs one failed job again (desk managers and administrators).
 */
@Public()
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@UseGuards(ConsoleSessionGuard)
@Controller('console/admin/queues')
export class QueueHealthController {
  constructor(
    private readonly health: QueueHealthService,
    private readonly views: ConsoleViews,
  ) {}

  @Get()
  async page(
    @Query('done') done: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    await this.send(res, 200, session, {
      done: doneMessage(done, { retried: 'The job is back in its queue and will run again.' }),
      refusal: null,
    });
  }

  @Post(':queue/jobs/:id/retry')
  async retry(
    @Param('queue') queue: string,
    @Param('id') id: string,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    try {
      await this.health.retry(queue, id, session.user.id);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'CONSOLE.JOB_NOT_FAILED') throw err;
      await this.send(res, 409, session, { done: null, refusal: err.message });
      return;
    }
    await res.redirect('/console/admin/queues?done=retried', 303);
  }

  private async send(
    res: FastifyReply,
    status: number,
    session: ActiveSession,
    notices: { done: string | null; refusal: string | null },
  ): Promise<void> {
    const queues = await this.health.overview();
    sendAdminPage(this.views, res, status, 'admin/queues', session, 'Queue health', 'queues', {
      ...queueHealthView(queues),
      ...notices,
    });
  }
}
