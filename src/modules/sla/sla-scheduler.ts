import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Clock } from '../../common/time/clock';
import { QueueName } from '../../queue/queue-names';
import { NotificationsService } from '../notifications/notifications.service';
import { ENQUEUE_TIMEOUT_MS, enqueue } from '../../common/queue/jobs';
import { withTimeout } from '../../common/time/with-timeout';
import type { SlaTarget } from './domain/incident-sla';
import type { SlaFollowUp } from './sla-engine';
import { SlaSettings } from './sla-settings';
import { CHECK_JOB_OPTIONS, REARM_HORIZON_MS, SlaJobName, type SlaJobData, checkJobId } from './sla-jobs';
import { errorText } from '../../common/errors/error-text';

export interface Timer {
  incidentId: string;
  reference: string;
  target: SlaTarget;
  at: Date;
}

/**
 * The SLA queue's producer side. Everything here runs after a commit and never throws: a timer or message that
 * could not be queued is still in the database, where the poll and the minute sweep find it.
 */
@Injectable()
export class SlaScheduler {
  private readonly logger = new Logger(SlaScheduler.name);

  constructor(
    @InjectQueue(QueueName.Sla) private readonly queue: Queue,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly settings: SlaSettings,
  ) {}

  /** Arms the new timers, drops the superseded ones, dispatches mail and texts of committed changes. */
  async afterCommit(followUps: readonly (SlaFollowUp | null | undefined)[]): Promise<void> {
    const done = followUps.filter((f): f is SlaFollowUp => !!f);
    if (done.length === 0) return;
    const timers: Timer[] = [];
    const stale: string[] = [];
    const now = this.clock.now().getTime();
    const near = (at: Date): boolean => this.settings.queueTimers && at.getTime() <= now + REARM_HORIZON_MS;
    for (const f of done) {
      for (const w of f.wakeups) {
        if (w.at)
          timers.push({ incidentId: f.incidentId, reference: f.reference, target: w.target, at: w.at });
        // Only a superseded timer that can exist (armed, near) and is still in the future is dropped: one already
        // due may be the job running this very check (the PostgreSQL backend removes a running job; Redis refuses).
        if (
          w.previous &&
          w.previous.getTime() > now &&
          near(w.previous) &&
          w.previous.getTime() !== w.at?.getTime()
        ) {
          stale.push(checkJobId(f.reference, w.target, w.previous));
        }
      }
    }
    await Promise.all([
      this.arm(timers),
      this.removeStale(stale),
      this.notifications.dispatch(done.flatMap((f) => f.mailIds)),
      this.notifications.dispatchSms(done.flatMap((f) => f.smsIds)),
    ]);
  }

  /**
   * Adds a delayed check per timer due within the horizon (idempotent: the job id is deterministic); timers further
   * out are armed by the minute sweep once they come within it, so the queue only ever holds the next two minutes.
   * Returns how many were given to the queue.
   */
  async arm(all: readonly Timer[]): Promise<number> {
    if (!this.settings.queueTimers) return 0;
    const now = this.clock.now().getTime();
    const timers = all.filter((t) => t.at.getTime() <= now + REARM_HORIZON_MS);
    if (timers.length === 0) return 0;
    const jobs = timers.map((t) => ({
      name: SlaJobName.Check,
      data: {
        incidentId: t.incidentId,
        target: t.target,
        at: t.at.getTime(),
      } satisfies SlaJobData[SlaJobName.Check],
      opts: {
        ...CHECK_JOB_OPTIONS,
        jobId: checkJobId(t.reference, t.target, t.at),
        delay: Math.max(0, t.at.getTime() - now),
      },
    }));
    try {
      await enqueue(this.queue, jobs);
      return jobs.length;
    } catch (err) {
      this.logger.warn(
        { timers: timers.length, err: errorText(err) },
        'Could not arm SLA timers; the poll and the sweep will act on them',
      );
      return 0;
    }
  }

  private async removeStale(jobIds: readonly string[]): Promise<void> {
    try {
      // 0 when the job is running (it may be the caller itself): leave it, it re-reads and does nothing.
      await withTimeout(
        Promise.all(jobIds.map((id) => this.queue.remove(id))),
        ENQUEUE_TIMEOUT_MS,
        'The SLA queue',
      );
    } catch (err) {
      this.logger.debug(
        { jobs: jobIds.length, err: errorText(err) },
        'Could not drop superseded SLA timers; they fire harmlessly',
      );
    }
  }
}
