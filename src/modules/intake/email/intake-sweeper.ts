import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config';
import { withTimeout } from '../../../common/time/with-timeout';
import { InboundStore } from './inbound-store.service';
import { errorText } from '../../../common/errors/error-text';

/** Rows per sweep; the next sweep takes the rest. */
const SWEEP_LIMIT = 500;
/** A freshly stored row gets its job from the listener; the sweeper leaves it this long first. */
const GRACE_SECONDS = 10;
const BOOT_TIMEOUT_MS = 15_000;

/**
 * The safety net under the intake queue (worker roles): at start and every INTAKE_SWEEP_SECONDS it re-queues
 * every stored message that is not processed: `received` (its job was lost, or never added because the queue
 * was down) or `processing` past its claim (its worker died). A plain timer in each worker, not a queue job,
 * so a flushed queue cannot lose the sweeper too. Harmless to run anywhere, any time: job ids are
 * deterministic and a run acts only on a row it has claimed.
 */
@Injectable()
export class IntakeSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IntakeSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: InboundStore,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.timer = setInterval(() => void this.sweepQuietly(), this.config.env.INTAKE_SWEEP_SECONDS * 1000);
    this.timer.unref();
    try {
      await withTimeout(this.sweep(0), BOOT_TIMEOUT_MS, 'The intake sweep at start');
    } catch (err) {
      this.logger.warn({ err: errorText(err) }, 'Intake sweep at start did not finish');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** Re-queues stored, unprocessed rows older than `graceSeconds`; returns how many got a new job. */
  sweep(graceSeconds = GRACE_SECONDS): Promise<number> {
    this.running ??= this.sweepOnce(graceSeconds).finally(() => (this.running = null));
    return this.running;
  }

  private async sweepOnce(graceSeconds: number): Promise<number> {
    const due: { id: string }[] = await this.db.query(
      `SELECT id FROM inbound_message
        WHERE (status = 'received' AND received_at < now() - make_interval(secs => $1))
           OR (status = 'processing' AND claimed_until < now())
        ORDER BY received_at LIMIT $2`,
      [graceSeconds, SWEEP_LIMIT],
    );
    let requeued = 0;
    for (const { id } of due) if (await this.store.requeue(id, { stale: true })) requeued++;
    if (due.length > 0) this.logger.log({ due: due.length, requeued }, 'Intake sweep');
    return requeued;
  }

  private async sweepQuietly(): Promise<void> {
    try {
      await this.sweep();
    } catch (err) {
      this.logger.warn({ err: errorText(err) }, 'Intake sweep failed; the next one tries again');
    }
  }
}
