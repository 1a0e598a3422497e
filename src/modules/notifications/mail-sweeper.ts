import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { Repository } from 'typeorm';
import { jobLiveness } from '../../common/queue/jobs';
import { QueueName } from '../../queue/queue-names';
import { mailJobId } from './domain/outbound-mail';
import { MailJobName, SWEEP_EVERY_MS, SWEEP_SCHEDULER_ID } from './mail-jobs';
import { NotificationsService } from './notifications.service';
import { OutboundMessage } from './outbound-message.entity';
import { withTimeout } from '../../common/time/with-timeout';
import { errorText } from '../../common/errors/error-text';

/** Rows per sweep; the next sweep (a minute later) takes the rest. */
export const SWEEP_LIMIT = 500;
/** Queue look-ups in flight at once while sweeping. */
const LOOKUP_CONCURRENCY = 25;
/** Bound on the work done at boot, so a sick queue cannot hold the process's start. */
const BOOT_TIMEOUT_MS = 15_000;

/**
 * The safety net under the mail queue: the database says what is unsent, and the sweeper makes sure each such
 * row has a job. It runs when a worker starts and every minute (a BullMQ job scheduler, `mail-sweep`, shared by
 * all workers on the queue, so the cluster sweeps once a minute, not once per worker).
 *
 * Why it is safe to run at any time, as often as you like:
 * - It only looks at rows that are `pending` with `next_attempt_at <= now()`. A row being sent is claimed
 *   (MailSender moves its `next_attempt_at` ahead for the duration), and a row backing off after a failure
 *   is not due until its retry time, so in normal running a due row is one whose job never arrived: lost in
 *   a queue flush, or never added because the queue was down when the caller dispatched it.
 * - Job ids are deterministic (`mail-{row id}`), and BullMQ ignores an add whose id already exists. That
 *   makes a re-queue of a waiting, delayed or active job a no-op (good: that job will do the work), but it
 *   would also make a retained *finished* job (kept by removeOnComplete / removeOnFail) block the row for
 *   ever. A finished job with a pending, due row means that job is over without having sent the row: it ran
 *   out of queue attempts on errors that never reached the row (the database was down), or it found the row
 *   claimed by a worker that then died. So the sweeper removes such a finished job and adds a fresh one.
 * - Sending stays exactly-once-per-claim whatever the sweeper does: every job claims the row before sending
 *   (MailSender), so two jobs for one row — say two workers' sweepers racing, or a job re-added while the old
 *   one was still finishing — cannot both send, and a job for a row that is no longer pending sends nothing.
 */
@Injectable()
export class MailSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger(MailSweeper.name);

  constructor(
    @InjectRepository(OutboundMessage) private readonly messages: Repository<OutboundMessage>,
    @InjectQueue(QueueName.Mail) private readonly queue: Queue,
    private readonly notifications: NotificationsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await withTimeout(
        (async () => {
          await this.queue.upsertJobScheduler(
            SWEEP_SCHEDULER_ID,
            { every: SWEEP_EVERY_MS },
            { name: MailJobName.Sweep, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
          );
          await this.sweep();
        })(),
        BOOT_TIMEOUT_MS,
        'The mail queue',
      );
    } catch (err) {
      // Never stop a worker from starting over this: the next scheduled sweep (or the next start) catches up.
      this.logger.warn({ err: errorText(err) }, 'Mail sweep at start did not finish');
    }
  }

  /** Re-queues up to SWEEP_LIMIT due pending rows, oldest first. Returns how many were (re-)queued. */
  async sweep(): Promise<number> {
    const due = await this.messages
      .createQueryBuilder('m')
      .select(['m.id'])
      .where('m.status = :pending', { pending: 'pending' })
      .andWhere('m.nextAttemptAt <= now()')
      .orderBy('m.nextAttemptAt', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(SWEEP_LIMIT)
      .getMany();
    if (due.length === 0) return 0;

    const requeue: string[] = [];
    for (let i = 0; i < due.length; i += LOOKUP_CONCURRENCY) {
      const chunk = due.slice(i, i + LOOKUP_CONCURRENCY);
      const decisions = await Promise.all(chunk.map(({ id }) => this.needsJob(id)));
      chunk.forEach(({ id }, k) => {
        if (decisions[k]) requeue.push(id);
      });
    }
    await this.notifications.dispatch(requeue);
    this.logger.log({ due: due.length, requeued: requeue.length }, 'Mail sweep');
    return requeue.length;
  }

  /** True when the row has no live job: none at all, or a finished one (removed so the add is not ignored). */
  private async needsJob(rowId: string): Promise<boolean> {
    return (await jobLiveness(this.queue, mailJobId(rowId))) === 'none';
  }
}
