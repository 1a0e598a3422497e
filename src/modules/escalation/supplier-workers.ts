import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Worker, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { errorText } from '../../common/errors/error-text';
import { jobLiveness } from '../../common/queue/jobs';
import { AppConfig } from '../../config/app-config';
import { AutoEscalation } from './auto-escalation';
import { OPEN_ESCALATION_STATUSES_SQL } from './domain/escalation-status';
import { EscalationDelivery } from './escalation-delivery';
import {
  deliverJobId,
  EscalationJobName,
  escalationQueueName,
  type EscalationJobData,
} from './escalation-jobs';
import { SupplierQueues } from './supplier-queues';

/** How often each worker process looks for suppliers with work (a worker each) and for deliveries whose job was lost. */
export const SUPPLIER_SWEEP_MS = 5_000;
/** Job lock and stalled-job check of the supplier workers (a delivery takes at most ESCALATION_TIMEOUT_MS). */
const LOCK_MS = 10_000;
/** A pending escalation this old without a live job is queued again. */
const LOST_AFTER_MS = 10_000;

/**
 * The worker side of the suppliers' queues: one BullMQ worker per supplier with work (ESCALATION_CONCURRENCY
 * deliveries in flight each), so a slow or dead supplier only ever holds up its own deliveries. Every job (deliver,
 * chase, forward) acts only on an open escalation, so a supplier gets its worker when it has an open escalation:
 * at once when this process queued the job (SupplierQueues.onUse), else at the next sweep (within
 * SUPPLIER_SWEEP_MS: a worker process learns of the API process's escalations there). Suppliers with nothing open
 * cost nothing: on the PostgreSQL queue each worker holds its own connections, and a desk with many suppliers
 * started hundreds. Every SUPPLIER_SWEEP_MS the sweep also re-queues pending escalations whose job is gone (a crash
 * between the commit and the add, a Redis flush). A worker killed mid-delivery leaves its job to BullMQ's
 * stalled-job check: the escalation is delivered at least once, and the Idempotency-Key lets the supplier drop a
 * repeat. A started worker runs until the process stops.
 */
@Injectable()
export class SupplierWorkers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SupplierWorkers.name);
  private readonly workers = new Map<string, Worker>();
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queues: SupplierQueues,
    private readonly delivery: EscalationDelivery,
    private readonly config: AppConfig,
    private readonly auto: AutoEscalation,
  ) {}

  /**
   * Sweeps at once and then every SUPPLIER_SWEEP_MS. The start does not wait for the first sweep: re-queueing lost
   * deliveries goes through each supplier's queue, whose connections are still being made while the process starts.
   */
  onApplicationBootstrap(): void {
    this.queues.onUse = (code) => {
      if (!this.stopped && !this.workers.has(code)) this.start(code);
    };
    const sweepNow = () => {
      if (this.sweeping || this.stopped) return;
      this.sweeping = this.sweep().finally(() => (this.sweeping = null));
    };
    sweepNow();
    this.timer = setInterval(sweepNow, SUPPLIER_SWEEP_MS);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.queues.onUse = null;
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
    await Promise.allSettled([...this.workers.values()].map((w) => w.close()));
    this.workers.clear();
  }

  /**
   * Starts a worker for each supplier with an open escalation not yet served, re-queues lost deliveries, and
   * escalates new incidents a routing rule should have escalated (AutoEscalation.sweep). Never throws.
   */
  async sweep(): Promise<void> {
    try {
      const suppliers = await this.db.query<{ code: string }[]>(
        `SELECT s.code FROM supplier s WHERE EXISTS
          (SELECT 1 FROM escalation e WHERE e.supplier_id = s.id AND e.status IN (${OPEN_ESCALATION_STATUSES_SQL}))`,
      );
      for (const { code } of suppliers) if (!this.workers.has(code)) this.start(code);
      const lost = await this.db.query<{ id: string; code: string; round: number }[]>(
        `SELECT e.id, s.code, e.round FROM escalation e JOIN supplier s ON s.id = e.supplier_id
          WHERE e.status = 'pending' AND e.created_at < now() - make_interval(secs => $1) LIMIT 500`,
        [LOST_AFTER_MS / 1000],
      );
      for (const e of lost) {
        const queue = this.queues.queue(e.code);
        if ((await jobLiveness(queue, deliverJobId(e.id, e.round))) === 'none')
          await this.queues.deliver(e.code, e.id, e.round);
      }
    } catch (err) {
      this.logger.warn({ err: errorText(err) }, 'Supplier queue sweep failed; the next one retries');
    }
    await this.auto
      .sweep()
      .catch((err: unknown) =>
        this.logger.warn({ err: errorText(err) }, 'Auto-escalation sweep failed; the next one retries'),
      );
  }

  private start(code: string): void {
    const { connection, prefix } = this.queues.root;
    const worker = new Worker<EscalationJobData>(
      escalationQueueName(code),
      async (job: Job<EscalationJobData>) => {
        const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        await this.delivery.run(
          job.name as EscalationJobName,
          job.data.escalationId,
          final,
          job.data.eventId,
        );
      },
      {
        connection,
        prefix,
        concurrency: this.config.env.ESCALATION_CONCURRENCY,
        // A worker killed mid-delivery leaves its jobs locked: they go back to the queue within about 20 s.
        lockDuration: LOCK_MS,
        stalledInterval: LOCK_MS,
      },
    );
    worker.on('error', (err) =>
      this.logger.warn({ supplier: code, err: errorText(err) }, 'Supplier worker error'),
    );
    this.workers.set(code, worker);
  }
}
