import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { Clock } from '../../common/time/clock';
import { QueueName } from '../../queue/queue-names';
import { SlaChecker, type SweepResult } from './sla-checker';
import { SlaJobName, type SlaJobData } from './sla-jobs';

/** The SLA queue's worker: check → SlaChecker.check, sweep → SlaChecker.sweep. No logic of its own. */
@Processor(QueueName.Sla, { concurrency: 4 })
export class SlaProcessor extends WorkerHost {
  constructor(
    private readonly checker: SlaChecker,
    private readonly clock: Clock,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<'checked' | 'gone' | SweepResult> {
    const name = job.name as SlaJobName;
    switch (name) {
      case SlaJobName.Check: {
        const { incidentId, at } = job.data as SlaJobData[SlaJobName.Check];
        const early = at - this.clock.now().getTime();
        if (early > 0 && token) {
          // Woken before the desk's clock says it is time (clocks differ): come back then, keeping this job id.
          await job.moveToDelayed(Date.now() + early, token);
          throw new DelayedError();
        }
        return (await this.checker.check(incidentId)) ? 'checked' : 'gone';
      }
      case SlaJobName.Sweep:
        return this.checker.sweep();
      default:
        throw new UnrecoverableError(`Unknown SLA job "${String(name)}"`);
    }
  }
}
