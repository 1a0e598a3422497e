import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { AppConfig } from '../../../config/app-config';
import { QueueName } from '../../../queue/queue-names';
import { IntakeJobName, type IntakeJobData } from './intake-jobs';
import { IntakePipeline } from './intake-pipeline.service';

/** The email intake queue's worker: `process` → IntakePipeline. No logic of its own. */
@Processor(QueueName.EmailIntake, { concurrency: 8 })
export class IntakeProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly pipeline: IntakePipeline,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.env.INTAKE_WORKER_CONCURRENCY;
  }

  async process(job: Job): Promise<string> {
    const name = job.name as IntakeJobName;
    switch (name) {
      case IntakeJobName.Process: {
        const { inboundMessageId } = job.data as IntakeJobData[IntakeJobName.Process];
        return this.pipeline.process(inboundMessageId);
      }
      default:
        throw new UnrecoverableError(`Unknown email intake job "${String(name)}"`);
    }
  }
}
