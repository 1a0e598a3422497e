import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName } from '../../queue/queue-names';
import { withTimeout } from '../../common/time/with-timeout';
import { SlaChecker } from './sla-checker';
import { SWEEP_EVERY_MS, SWEEP_SCHEDULER_ID, SlaJobName } from './sla-jobs';
import { SlaSettings } from './sla-settings';
import { errorText } from '../../common/errors/error-text';

/** How often each worker makes sure the queue still knows the sweep (a Redis flush forgets it). */
export const WATCHDOG_EVERY_MS = 5_000;
const BOOT_TIMEOUT_MS = 15_000;

/**
 * Per worker process, two timers that do not depend on the queue:
 * - the poll (SLA_POLL_MS, default every second): act on every due check straight from PostgreSQL, claiming with
 *   SKIP LOCKED. A late, deadlocked, flushed or dead queue therefore delays a warning by at most about one poll.
 * - the watchdog (every 5 s): if the queue has lost the `sla-sweep` scheduler (a Redis flush, a new Redis), put it
 *   back and sweep at once, which also re-arms every timer due within two minutes.
 * At start it registers the scheduler (every minute, shared by all workers) and sweeps once.
 */
@Injectable()
export class SlaTicker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SlaTicker.name);
  private timers: NodeJS.Timeout[] = [];
  private polling: Promise<unknown> | null = null;
  private watching: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    @InjectQueue(QueueName.Sla) private readonly queue: Queue,
    private readonly checker: SlaChecker,
    private readonly settings: SlaSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await withTimeout(this.restoreSweep(), BOOT_TIMEOUT_MS, 'The SLA queue');
    } catch (err) {
      this.logger.warn(
        { err: errorText(err) },
        'SLA sweep at start did not finish; the poll and the watchdog carry on',
      );
    }
    if (this.settings.pollMs > 0) this.timers.push(setInterval(() => this.poll(), this.settings.pollMs));
    this.timers.push(setInterval(() => this.watch(), WATCHDOG_EVERY_MS));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    this.timers = [];
    await Promise.allSettled([this.polling, this.watching]);
  }

  private poll(): void {
    if (this.polling || this.stopped) return;
    this.polling = this.checker
      .runDue(500, 2)
      .catch((err: unknown) => this.logger.warn({ err: errorText(err) }, 'SLA poll failed'))
      .finally(() => (this.polling = null));
  }

  private watch(): void {
    if (this.watching || this.stopped) return;
    this.watching = (async () => {
      if (await this.queue.getJobScheduler(SWEEP_SCHEDULER_ID)) return;
      this.logger.warn(
        'The SLA sweep scheduler is missing from the queue (flushed?); restoring it and re-arming timers',
      );
      await this.restoreSweep();
    })()
      .catch((err: unknown) => this.logger.warn({ err: errorText(err) }, 'SLA watchdog failed'))
      .finally(() => (this.watching = null));
  }

  private async restoreSweep(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { every: SWEEP_EVERY_MS },
      { name: SlaJobName.Sweep, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    if (!this.stopped) await this.checker.sweep();
  }
}
