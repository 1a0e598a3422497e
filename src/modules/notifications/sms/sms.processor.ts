import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { QueueName } from '../../../queue/queue-names';
import { waitIfBusy, type OutboxOutcome } from '../outbox/outbox-sender';
import { SmsJobName, type SmsJobData } from './sms-jobs';
import { SmsSender } from './sms-sender';
import { SmsSweeper } from './sms-sweeper';

/** The text queue's worker: `send` → SmsSender, `sweep` → SmsSweeper. No logic of its own. */
@Processor(QueueName.Sms, { concurrency: 4 })
export class SmsProcessor extends WorkerHost {
  constructor(
    private readonly sender: SmsSender,
    private readonly sweeper: SmsSweeper,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<OutboxOutcome['outcome'] | number> {
    const name = job.name as SmsJobName;
    switch (name) {
      case SmsJobName.Send: {
        const { outboundSmsId } = job.data as SmsJobData[SmsJobName.Send];
        return waitIfBusy(job, token, await this.sender.send(outboundSmsId));
      }
      case SmsJobName.Sweep:
        return this.sweeper.sweep();
      default:
        throw new UnrecoverableError(`Unknown text job "${String(name)}"`);
    }
  }
}
