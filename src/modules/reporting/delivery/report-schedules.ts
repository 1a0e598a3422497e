import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { errorText } from '../../../common/errors/error-text';
import { ENQUEUE_TIMEOUT_MS } from '../../../common/queue/jobs';
import { withTimeout } from '../../../common/time/with-timeout';
import { QueueName } from '../../../queue/queue-names';
import { REPORT_ZONE } from '../domain/report-period';
import { cronPattern, type Schedule } from './domain/report-schedule';
import {
  DELIVER_JOB_OPTIONS,
  ReportDeliveryJobName,
  subscriptionOfScheduler,
  subscriptionSchedulerId,
  type ReportDeliveryJobData,
} from './report-delivery-jobs';

/**
 * The report delivery queue's job schedulers, one per subscription: a cron pattern in Europe/London (so 08:00
 * stays 08:00 local across the clock changes). The report_subscription table is the truth; `sync` makes the
 * queue match it (at a worker's boot), `upsert` / `remove` follow each change after its commit.
 */
@Injectable()
export class ReportSchedules {
  private readonly logger = new Logger(ReportSchedules.name);

  constructor(@InjectQueue(QueueName.ReportDelivery) private readonly queue: Queue) {}

  /** Upserts the subscription's scheduler (idempotent: its id is deterministic). */
  async upsert(subscription: Schedule & { id: string }): Promise<void> {
    await withTimeout(
      this.queue.upsertJobScheduler(
        subscriptionSchedulerId(subscription.id),
        { pattern: cronPattern(subscription), tz: REPORT_ZONE },
        {
          name: ReportDeliveryJobName.Deliver,
          data: {
            subscriptionId: subscription.id,
          } satisfies ReportDeliveryJobData[ReportDeliveryJobName.Deliver],
          opts: DELIVER_JOB_OPTIONS,
        },
      ),
      ENQUEUE_TIMEOUT_MS,
      'The report delivery queue',
    );
  }

  async remove(subscriptionId: string): Promise<void> {
    await withTimeout(
      this.queue.removeJobScheduler(subscriptionSchedulerId(subscriptionId)),
      ENQUEUE_TIMEOUT_MS,
      'The report delivery queue',
    );
  }

  /** After a commit: never throws; a scheduler that could not be written is rebuilt from the table at boot. */
  async afterCommit(change: { upsert?: Schedule & { id: string }; remove?: string }): Promise<void> {
    try {
      if (change.upsert) await this.upsert(change.upsert);
      if (change.remove) await this.remove(change.remove);
    } catch (err) {
      this.logger.warn(
        { subscriptionId: change.upsert?.id ?? change.remove, err: errorText(err) },
        'Could not update the report scheduler; the next worker start rebuilds it from the table',
      );
    }
  }

  /** Every subscription's scheduler upserted, and every scheduler of a subscription that is gone removed. */
  async sync(
    subscriptions: readonly (Schedule & { id: string })[],
  ): Promise<{ upserted: number; removed: number }> {
    for (const s of subscriptions) await this.upsert(s);
    const keep = new Set(subscriptions.map((s) => s.id));
    let removed = 0;
    for (const scheduler of await this.queue.getJobSchedulers(0, -1)) {
      const id = subscriptionOfScheduler(scheduler.key);
      if (id !== null && !keep.has(id)) {
        await this.queue.removeJobScheduler(scheduler.key);
        removed++;
      }
    }
    return { upserted: subscriptions.length, removed };
  }
}
