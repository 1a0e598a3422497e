import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName } from '../../queue/queue-names';
import { mailJobId } from './domain/outbound-mail';
import { MailJobName, SWEEP_SCHEDULER_ID } from './mail-jobs';
import { MailSender } from './mail-sender';
import { NotificationsService } from './notifications.service';
import { OutboxSweeper } from './outbox/outbox-sweeper';

export { SWEEP_LIMIT } from './outbox/outbox-sweeper';

/**
 * The safety net under the mail queue (OutboxSweeper): at a worker's start and every minute (scheduler
 * `mail-sweep`), every pending outbound_message row that is due gets a send job if it has none alive.
 */
@Injectable()
export class MailSweeper implements OnApplicationBootstrap {
  private readonly sweeper: OutboxSweeper;

  constructor(
    @InjectQueue(QueueName.Mail) queue: Queue,
    sender: MailSender,
    notifications: NotificationsService,
  ) {
    this.sweeper = new OutboxSweeper({
      queue,
      due: (limit) => sender.dueIds(limit),
      jobId: mailJobId,
      dispatch: (ids) => notifications.dispatch(ids),
      scheduler: { id: SWEEP_SCHEDULER_ID, jobName: MailJobName.Sweep },
      logger: new Logger(MailSweeper.name),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.sweeper.start();
  }

  /** Re-queues up to SWEEP_LIMIT due pending rows, oldest first. Returns how many were (re-)queued. */
  sweep(): Promise<number> {
    return this.sweeper.sweep();
  }
}
