import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { QueueName } from '../../queue/queue-names';
import { AUTO_CLOSE_JOB, IncidentWorkflow, LIFECYCLE_SWEEP_JOB } from './incident-workflow.service';

const SWEEP_EVERY_MS = 5 * 60_000;

/** Auto-closes resolved incidents: one delayed job per resolution, plus a sweep every five minutes. */
@Processor(QueueName.IncidentLifecycle)
export class IncidentLifecycleProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(IncidentLifecycleProcessor.name);

  constructor(
    private readonly workflow: IncidentWorkflow,
    @InjectQueue(QueueName.IncidentLifecycle) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'incident-lifecycle-sweep',
      { every: SWEEP_EVERY_MS },
      { name: LIFECYCLE_SWEEP_JOB },
    );
  }

  async process(job: Job<{ incidentId?: string }>): Promise<unknown> {
    switch (job.name) {
      case AUTO_CLOSE_JOB:
        return this.workflow.autoClose(job.data.incidentId as string);
      case LIFECYCLE_SWEEP_JOB: {
        const closed = await this.workflow.closeDue();
        if (closed) this.logger.log({ closed }, 'Closed resolved incidents past their auto-close time');
        return closed;
      }
      default:
        throw new Error(`Unknown job ${job.name} on ${QueueName.IncidentLifecycle}`);
    }
  }
}
