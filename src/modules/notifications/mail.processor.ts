import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { QueueName } from '../../queue/queue-names';
import { MailSender, type SendOutcome } from './mail-sender';
import { MailSweeper } from './mail-sweeper';
import { MailJobName, type MailJobData } from './mail-jobs';
import { waitIfBusy } from './outbox/outbox-sender';

/** The mail queue's worker: `send` → MailSender, `sweep` → MailSweeper. No logic of its own. */
@Processor(QueueName.Mail, { concurrency: 4 })
export class MailProcessor extends WorkerHost {
  constructor(
    private readonly sender: MailSender,
    private readonly sweeper: MailSweeper,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<SendOutcome['outcome'] | number> {
    const name = job.name as MailJobName;
    switch (name) {
      case MailJobName.Send: {
        const { outboundMessageId } = job.data as MailJobData[MailJobName.Send];
        return waitIfBusy(job, token, await this.sender.send(outboundMessageId));
      }
      case MailJobName.Sweep:
        return this.sweeper.sweep();
      default:
        throw new UnrecoverableError(`Unknown mail job "${String(name)}"`);
    }
  }
}
