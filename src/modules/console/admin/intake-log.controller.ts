import { Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../../common/errors/domain-error';
import { isUuid } from '../../../common/http/ids';
import { Public } from '../../auth/auth.decorators';
import { IntakeLogService } from '../../intake/email/intake-log.service';
import { MANAGER_ROLES, requireRole, sessionOf } from '../console-access';
import { ConsolePageFilter } from '../console-page.filter';
import type { ConsoleRequest } from '../console-request';
import { ConsoleSessionGuard } from '../console-session.guard';
import { ConsoleViews } from '../console-views';
import { MANAGERS_ONLY } from './admin-home.controller';
import { doneMessage, sendAdminPage } from './admin-view';
import { intakeListView, intakeMessageView, readIntakeFilter } from './intake-log.view';

/**
 * The email intake log (desk managers and administrators): `GET /console/admin/intake` (failed and refused mail
 * by default, or any status), a message with its step-by-step log and its raw bytes, and `POST …/retry` to run a
 * failed or refused message through the pipeline again (IntakeLogService).
 */
@Public()
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@UseGuards(ConsoleSessionGuard)
@Controller('console/admin/intake')
export class IntakeLogPagesController {
  constructor(
    private readonly log: IntakeLogService,
    private readonly views: ConsoleViews,
  ) {}

  @Get()
  async list(
    @Query('status') status: unknown,
    @Query('cursor') cursor: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    const filter = readIntakeFilter(status);
    if (!filter) throw new DomainError('CONSOLE.INVALID_QUERY', 'This list address is not valid: status.');
    const page = await this.log.list({
      status: filter.statuses,
      cursor: typeof cursor === 'string' && cursor ? cursor : undefined,
      limit: 50,
    });
    sendAdminPage(this.views, res, 200, 'admin/intake', session, 'Email intake', 'intake', {
      ...intakeListView(filter.key, page),
      first: typeof cursor === 'string' && cursor ? `/console/admin/intake?status=${filter.key}` : null,
    });
  }

  @Get(':id')
  async message(
    @Param('id') id: string,
    @Query('done') done: unknown,
    @Req() req: ConsoleRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    await this.sendMessage(res, 200, session, id, {
      done: doneMessage(done, { retried: 'The message is queued to run through the intake again.' }),
      refusal: null,
    });
  }

  @Get(':id/raw')
  async raw(@Param('id') id: string, @Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    requireRole(sessionOf(req), MANAGER_ROLES, MANAGERS_ONLY);
    const raw = await this.log.raw(checkedId(id));
    await res
      .header('Content-Type', 'message/rfc822')
      .header('Content-Disposition', `attachment; filename="${id}.eml"`)
      .header('X-Content-Type-Options', 'nosniff')
      .send(raw);
  }

  @Post(':id/retry')
  async retry(@Param('id') id: string, @Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = sessionOf(req);
    requireRole(session, MANAGER_ROLES, MANAGERS_ONLY);
    try {
      await this.log.retry(checkedId(id));
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'INTAKE.NOT_RETRYABLE') throw err;
      await this.sendMessage(res, 409, session, id, { done: null, refusal: err.message });
      return;
    }
    await res.redirect(`/console/admin/intake/${id}?done=retried`, 303);
  }

  private async sendMessage(
    res: FastifyReply,
    status: number,
    session: Parameters<typeof sendAdminPage>[4],
    id: string,
    notices: { done: string | null; refusal: string | null },
  ): Promise<void> {
    const message = await this.log.get(checkedId(id));
    sendAdminPage(
      this.views,
      res,
      status,
      'admin/intake-message',
      session,
      `Inbound message: ${message.subject ?? 'no subject'}`,
      'intake',
      { ...intakeMessageView(message), ...notices },
    );
  }
}

function checkedId(id: string): string {
  if (!isUuid(id)) throw new DomainError('INTAKE.MESSAGE_NOT_FOUND', 'No such inbound message.');
  return id;
}
