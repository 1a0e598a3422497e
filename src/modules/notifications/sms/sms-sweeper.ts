import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName } from '../../../queue/queue-names';
import { NotificationsService } from '../notifications.service';
import { OutboxSweeper } from '../outbox/outbox-sweeper';
import { SMS_SWEEP_SCHEDULER_ID, SmsJobName, smsJobId } from './sms-jobs';
import { SmsSender } from './sms-sender';

/** The safety net under the text queue (OutboxSweeper), like the mail sweeper's: at start and every minute. */
@Injectable()
export class SmsSweeper implements OnApplicationBootstrap {
  private readonly sweeper: OutboxSweeper;

  constructor(
    @InjectQueue(QueueName.Sms) queue: Queue,
    sender: SmsSender,
    notifications: NotificationsService,
  ) {
    this.sweeper = new OutboxSweeper({
      queue,
      due: (limit) => sender.dueIds(limit),
      jobId: smsJobId,
      dispatch: (ids) => notifications.dispatchSms(ids),
      scheduler: { id: SMS_SWEEP_SCHEDULER_ID, jobName: SmsJobName.Sweep },
      logger: new Logger(SmsSweeper.name),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.sweeper.start();
  }

  sweep(): Promise<number> {
    return this.sweeper.sweep();
  }
}
