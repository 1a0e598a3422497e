import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Queue } from 'bullmq';
import { ALL_QUEUES } from '../../queue/queue-names';
import { withTimeout } from '../../common/time/with-timeout';
import { errorText } from '../../common/errors/error-text';

const TIMEOUT_MS = 2_000;

/** Up when the queue backend (Redis, or BullMQ's PostgreSQL tables) answers a count for every queue. */
@Injectable()
export class QueueHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(key);
    try {
      const counts = await Promise.all(
        ALL_QUEUES.map(async (name) => {
          const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
          return [
            name,
            await withTimeout(queue.getJobCounts('waiting', 'delayed', 'failed'), TIMEOUT_MS, 'The queue'),
          ] as const;
        }),
      );
      return session.up({ queues: Object.fromEntries(counts) });
    } catch (err) {
      return session.down({ message: errorText(err) });
    }
  }
}
