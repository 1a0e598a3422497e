import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Repository } from 'typeorm';
import { errorText } from '../../../common/errors/error-text';
import { QueueName } from '../../../queue/queue-names';
import { ReportDeliveryJobName, scheduledInstant, type ReportDeliveryJobData } from './report-delivery-jobs';
import { ReportDeliveryService, type DeliveryOutcome } from './report-delivery.service';
import { ReportSchedules } from './report-schedules';
import { ReportSubscription } from './report-subscription.entity';

/**
 * The report delivery queue's worker: `deliver` → ReportDeliveryService. At a worker's start it rebuilds every
 * subscription's job scheduler from the table (the database holds the truth; a flushed Redis loses none).
 */
@Processor(QueueName.ReportDelivery, { concurrency: 2 })
export class ReportDeliveryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportDeliveryProcessor.name);

  constructor(
    private readonly delivery: ReportDeliveryService,
    private readonly schedules: ReportSchedules,
    @InjectRepository(ReportSubscription) private readonly subscriptions: Repository<ReportSubscription>,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const result = await this.schedules.sync(await this.subscriptions.find());
      this.logger.log(result, 'Report schedulers rebuilt from the subscriptions');
    } catch (err) {
      this.logger.error({ err: errorText(err) }, 'Could not rebuild the report schedulers');
    }
  }

  async process(job: Job): Promise<DeliveryOutcome['outcome']> {
    const name = job.name as ReportDeliveryJobName;
    switch (name) {
      case ReportDeliveryJobName.Deliver: {
        const { subscriptionId } = job.data as ReportDeliveryJobData[ReportDeliveryJobName.Deliver];
        // A job its scheduler made names the instant it was scheduled for.
        return (await this.delivery.deliver(subscriptionId, scheduledInstant(job.id, subscriptionId)))
          .outcome;
      }
      default:
        throw new UnrecoverableError(`Unknown report delivery job "${String(name)}"`);
    }
  }
}
