import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { DomainError } from '../../../common/errors/domain-error';
import { errorText } from '../../../common/errors/error-text';
import { withTimeout } from '../../../common/time/with-timeout';
import { ALL_QUEUES, type QueueName } from '../../../queue/queue-names';

/** How long one queue may take to answer before its row says it could not be read. */
const READ_TIMEOUT_MS = 3_000;
/** Failed jobs listed per queue (the newest). */
export const FAILED_SHOWN = 20;

export const COUNTED_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;
export type CountedState = (typeof COUNTED_STATES)[number];

export interface FailedJob {
  id: string;
  name: string;
  reason: string;
  attempts: number;
  failedAt: Date | null;
  queuedAt: Date;
}

export interface QueueState {
  name: QueueName;
  counts: Record<CountedState, number> | null;
  /** Workers take no jobs from a paused queue. */
  paused: boolean;
  failed: FailedJob[];
  /** Why the queue could not be read, when it could not. */
  problem: string | null;
}

/**
 * The queue health the desk needs instead of Bull Board: each registered queue's job counts and newest failed
 * jobs (BullMQ's own API on the queues of src/queue), and retrying one failed job.
 */
@Injectable()
export class QueueHealthService {
  private readonly logger = new Logger(QueueHealthService.name);

  constructor(private readonly moduleRef: ModuleRef) {}

  async overview(): Promise<QueueState[]> {
    return Promise.all(
      ALL_QUEUES.map(async (name): Promise<QueueState> => {
        try {
          const queue = this.queue(name);
          const [counts, failed, paused] = await withTimeout(
            Promise.all([
              queue.getJobCounts(...COUNTED_STATES),
              queue.getFailed(0, FAILED_SHOWN - 1),
              queue.isPaused(),
            ]),
            READ_TIMEOUT_MS,
            `The ${name} queue`,
          );
          return {
            name,
            counts: Object.fromEntries(COUNTED_STATES.map((s) => [s, counts[s] ?? 0])) as Record<
              CountedState,
              number
            >,
            failed: failed.filter(Boolean).map((job) => ({
              id: String(job.id),
              name: job.name,
              reason: (job.failedReason ?? '').split('\n')[0].slice(0, 300),
              attempts: job.attemptsMade,
              failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
              queuedAt: new Date(job.timestamp),
            })),
            paused,
            problem: null,
          };
        } catch (err) {
          return { name, counts: null, failed: [], paused: false, problem: errorText(err) };
        }
      }),
    );
  }

  /**
   * Moves one failed job back to waiting, so a worker runs it again. CONSOLE.JOB_NOT_FOUND for an unknown queue
   * or job; CONSOLE.JOB_NOT_FAILED for a job in any other state (it will run, or has run, by itself).
   */
  async retry(queueName: string, jobId: string, userId: string): Promise<void> {
    const name = ALL_QUEUES.find((q) => (q as string) === queueName);
    if (!name) throw new DomainError('CONSOLE.JOB_NOT_FOUND', 'There is no such queue.');
    const queue = this.queue(name);
    const job = await queue.getJob(jobId);
    if (!job) throw new DomainError('CONSOLE.JOB_NOT_FOUND', 'There is no such job on this queue.');
    const state = await job.getState();
    if (state !== 'failed')
      throw new DomainError(
        'CONSOLE.JOB_NOT_FAILED',
        `Job ${jobId} on the ${name} queue is not failed (it is ${state}): only failed jobs can be retried.`,
        { state },
      );
    await job.retry('failed');
    this.logger.log({ queue: name, jobId, userId }, 'Failed job retried from the console');
  }

  private queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }
}
