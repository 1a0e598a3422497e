import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { errorText } from '../../../common/errors/error-text';
import { Clock } from '../../../common/time/clock';
import { CallEnder } from './call-ender';
import { CallStore } from './call-store';
import { PhoneSettings } from './phone-settings';
import { WebhookReplies } from './webhook-replies';

const SWEEP_EVERY_MS = 60_000;
const SWEEP_LIMIT = 200;
/** Beyond the longest message, how long a call may be silent before it is taken as ended. */
const IDLE_MARGIN_MS = 15 * 60_000;
/** A call put through to on-call may talk for hours without a webhook. */
const DIALLING_IDLE_MS = 6 * 3_600_000;
/** Stored webhook answers outlive Twilio's retries by far. */
const KEEP_ANSWERS_MS = 7 * 24 * 3_600_000;

/**
 * The safety net under the call status callback (worker roles): a call that has gone silent for longer than any
 * step can take (the longest recording and a quarter of an hour) is ended as if Twilio had said so, with status
 * `idle`, so a hang-up whose status callback was lost (or never configured) still leaves its call log entry and,
 * after the site and service were chosen, its abandoned incident. A plain timer in each worker, at start and every
 * minute; safe to run anywhere, any time (CallEnder ends a call once). Also prunes week-old webhook answers.
 */
@Injectable()
export class CallSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CallSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly store: CallStore,
    private readonly ender: CallEnder,
    private readonly replies: WebhookReplies,
    private readonly settings: PhoneSettings,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweepQuietly(), SWEEP_EVERY_MS);
    this.timer.unref();
    void this.sweepQuietly();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** Ends every call silent for too long; returns how many. */
  sweep(): Promise<number> {
    this.running ??= this.sweepOnce().finally(() => (this.running = null));
    return this.running;
  }

  private async sweepOnce(): Promise<number> {
    const now = this.clock.now().getTime();
    const idle = await this.store.idle(
      new Date(now - this.settings.recordingMaxSeconds * 1000 - IDLE_MARGIN_MS),
      new Date(now - DIALLING_IDLE_MS),
      SWEEP_LIMIT,
    );
    for (const call of idle) {
      await this.ender.end(
        call.callSid,
        { status: 'idle', durationSeconds: null, endedAt: call.lastActivityAt },
        null,
      );
    }
    const pruned = await this.replies.prune(new Date(now - KEEP_ANSWERS_MS));
    if (idle.length > 0 || pruned > 0) this.logger.log({ ended: idle.length, pruned }, 'Call sweep');
    return idle.length;
  }

  private async sweepQuietly(): Promise<void> {
    try {
      await this.sweep();
    } catch (err) {
      this.logger.warn({ err: errorText(err) }, 'Call sweep failed; the next one tries again');
    }
  }
}
