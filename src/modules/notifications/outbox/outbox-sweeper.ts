import type { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { errorText } from '../../../common/errors/error-text';
import { jobLiveness } from '../../../common/queue/jobs';
import { withTimeout } from '../../../common/time/with-timeout';

/** Rows per sweep; the next sweep (a minute later) takes the rest. */
export const SWEEP_LIMIT = 500;
export const SWEEP_EVERY_MS = 60_000;
/** Queue look-ups in flight at once while sweeping. */
const LOOKUP_CONCURRENCY = 25;
/** Bound on the work done at boot, so a sick queue cannot hold the process's start. */
const BOOT_TIMEOUT_MS = 15_000;

/** What a channel's sweeper is made of. */
export interface OutboxSweep {
  queue: Queue;
  /** Pending rows due now, oldest first (OutboxSender.dueIds). */
  due: (limit: number) => Promise<string[]>;
  /** The deterministic job id of a row's send job. */
  jobId: (rowId: string) => string;
  /** Queues send jobs for rows (never throws). */
  dispatch: (rowIds: string[]) => Promise<void>;
  /** The job scheduler that sweeps every minute, shared by every worker on the queue. */
  scheduler: { id: string; jobName: string };
  logger: Logger;
}

/**
 * The safety net under an outbox queue: the database says what is unsent, and the sweep makes sure each such row
 * has a job. It runs when a worker starts and every minute (a BullMQ job scheduler shared by all workers on the
 * queue, so the cluster sweeps once a minute, not once per worker).
 *
 * Why it is safe to run at any time, as often as you like:
 * - It only looks at rows that are `pending` with `next_attempt_at <= now()`. A row being sent is claimed (the
 *   sender moves its `next_attempt_at` ahead for the duration), and a row backing off after a failure is not due
 *   until its retry time, so in normal running a due row is one whose job never arrived: lost in a queue flush, or
 *   never added because the queue was down when the caller dispatched it.
 * - Job ids are deterministic, and BullMQ ignores an add whose id already exists; a finished job with a pending,
 *   due row is over without having sent it, so it is removed and a fresh one added (jobLiveness).
 * - Sending stays exactly-once-per-claim whatever the sweep does: every job claims the row before sending.
 */
export class OutboxSweeper {
  constructor(private readonly parts: OutboxSweep) {}

  /** Registers the minute's scheduler and sweeps once; a sick queue never stops the worker from starting. */
  async start(): Promise<void> {
    const { queue, scheduler, logger } = this.parts;
    try {
      await withTimeout(
        (async () => {
          await queue.upsertJobScheduler(
            scheduler.id,
            { every: SWEEP_EVERY_MS },
            { name: scheduler.jobName, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
          );
          await this.sweep();
        })(),
        BOOT_TIMEOUT_MS,
        `The ${queue.name} queue`,
      );
    } catch (err) {
      // The next scheduled sweep (or the next start) catches up.
      logger.warn({ err: errorText(err) }, `${queue.name} sweep at start did not finish`);
    }
  }

  /** Re-queues up to SWEEP_LIMIT due pending rows, oldest first. Returns how many were (re-)queued. */
  async sweep(): Promise<number> {
    const { queue, jobId, dispatch, logger } = this.parts;
    const due = await this.parts.due(SWEEP_LIMIT);
    if (due.length === 0) return 0;
    const requeue: string[] = [];
    for (let i = 0; i < due.length; i += LOOKUP_CONCURRENCY) {
      const chunk = due.slice(i, i + LOOKUP_CONCURRENCY);
      const states = await Promise.all(chunk.map((id) => jobLiveness(queue, jobId(id))));
      chunk.forEach((id, k) => {
        if (states[k] === 'none') requeue.push(id);
      });
    }
    await dispatch(requeue);
    logger.log({ due: due.length, requeued: requeue.length }, `${queue.name} sweep`);
    return requeue.length;
  }
}
