import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Worker } from 'bullmq';
import { AppConfig } from '../config/app-config';

/**
 * Stops this process's queue workers with a deadline. Each worker stops taking jobs and gets
 * SHUTDOWN_GRACE_MS to finish the ones it holds; a job still running then is left to BullMQ's stalled-job
 * check, which hands it to another worker (or to this one after a restart), and the worker closes at once.
 * Without the deadline, one job that never returns would keep the process (and its lock renewals) alive
 * for ever. Runs before @nestjs/bullmq's own shutdown, whose close() then finds each worker closed.
 */
@Injectable()
export class WorkerShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerShutdown.name);

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly config: AppConfig,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers().map((worker) => this.stop(worker)));
  }

  private async stop(worker: Worker): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.config.env.SHUTDOWN_GRACE_MS);
    });
    const pausing = worker.pause();
    const finished = await Promise.race([pausing.then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    if (finished === 'late') {
      this.logger.warn(
        `Queue "${worker.name}": a job was still running after ${this.config.env.SHUTDOWN_GRACE_MS} ms; it is left for the stalled-job check`,
      );
      // When that job does return, pause() reconnects the worker's blocking connection; drop it again.
      void pausing.then(() => worker.disconnect()).catch(() => undefined);
    }
    await worker.close(true);
  }

  private workers(): Worker[] {
    const workers: Worker[] = [];
    for (const { instance } of this.discovery.getProviders()) {
      if (!(instance instanceof WorkerHost)) continue;
      try {
        workers.push(instance.worker as Worker);
      } catch {
        // A processor class whose worker was never started (it throws until then): nothing to stop.
      }
    }
    return workers;
  }
}
