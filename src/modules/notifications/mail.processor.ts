import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { QueueName } from '../../queue/queue-names';
import { MailSender, type SendOutcome } from './mail-sender';
import { MailSweeper } from './mail-sweeper';
import { MailJobName, type MailJobData } from './mail-jobs';

/** Slack added when a job waits for a row's claim or backoff to run out. */
const WAKE_SLACK_MS = 250;

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
        const result = await this.sender.send(outboundMessageId);
        if (result.outcome === 'busy' && token) {
          // Another attempt holds the row, or its backoff has not run out: come back then, without using up
          // an attempt. (If that other attempt sends it, this job then finds it sent and does nothing.)
          await job.moveToDelayed(Math.max(Date.now(), result.until.getTime()) + WAKE_SLACK_MS, token);
          throw new DelayedError();
        }
        return result.outcome;
      }
      case MailJobName.Sweep:
        return this.sweeper.sweep();
      default:
        throw new UnrecoverableError(`Unknown mail job "${String(name)}"`);
    }
  }
}
