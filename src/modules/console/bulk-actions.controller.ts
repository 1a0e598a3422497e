import { Controller, Logger, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../common/errors/domain-error';
import { errorText } from '../../common/errors/error-text';
import { Public } from '../auth/auth.decorators';
import { isDeskStaff } from '../users/domain/roles';
import { layoutModel } from './console-layout';
import { ConsolePageFilter } from './console-page.filter';
import { formBody, sendHtml, type ConsoleRequest } from './console-request';
import { ConsoleSessionGuard } from './console-session.guard';
import { ConsoleViews } from './console-views';
import { BULK_LABELS, readBulk } from './domain/bulk-actions';
import { IncidentActionsService } from './incident-actions.service';

/**
 * `POST /console/bulk`: one action on the rows selected in a queue (desk staff only; CSRF-checked by the guard).
 * Each incident is changed on its own, in its own transaction, through the same path as its page's form (so each
 * reporter of a bulk reply gets their own email on their own incident); one refused row changes nothing of that
 * row and does not stop the others. The answer lists every row with what happened to it.
 */
@Public()
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@UseGuards(ConsoleSessionGuard)
@Controller('console')
export class BulkActionsController {
  private readonly logger = new Logger(BulkActionsController.name);

  constructor(
    private readonly actions: IncidentActionsService,
    private readonly views: ConsoleViews,
  ) {}

  @Post('bulk')
  async bulk(@Req() req: ConsoleRequest, @Res() res: FastifyReply): Promise<void> {
    const session = req.consoleSession;
    if (!session) throw new DomainError('CONSOLE.SIGN_IN_REQUIRED', 'Sign in to use the console.');
    if (!isDeskStaff(session.user)) throw new DomainError('AUTH.FORBIDDEN', 'Bulk actions are for the desk.');
    const read = readBulk(formBody(req));
    const page = (status: number, model: object): void =>
      sendHtml(
        res,
        status,
        this.views.render('bulk-result', {
          ...layoutModel(session, 'Bulk action', { section: 'queues' }),
          ...model,
        }),
      );
    if (!read.ok) {
      page(422, { problems: read.problems, back: read.back });
      return;
    }
    const results: { reference: string; ok: boolean; message: string }[] = [];
    for (const reference of read.references) {
      try {
        await this.actions.apply(reference, read.command, session.user);
        results.push({ reference, ok: true, message: 'Done' });
      } catch (err) {
        if (err instanceof DomainError && err.status < 500) {
          results.push({ reference, ok: false, message: err.message });
        } else {
          this.logger.error({ reference, err: errorText(err) }, 'Bulk action failed on one incident');
          results.push({ reference, ok: false, message: 'Could not be done (the error is logged).' });
        }
      }
    }
    const done = results.filter((r) => r.ok).length;
    page(200, {
      action: BULK_LABELS[read.action],
      results,
      summary: `${done} of ${results.length} incidents done${done < results.length ? `; ${results.length - done} not changed` : ''}.`,
      back: read.back,
    });
  }
}
