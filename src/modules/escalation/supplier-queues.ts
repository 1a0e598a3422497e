import { getSharedConfigToken } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { enqueue } from '../../common/queue/jobs';
import { AppConfig } from '../../config/app-config';
import type { QueueRootOptions } from '../../queue/queue-connection';
import {
  chaseJobId,
  deliverJobId,
  deliveryJobOptions,
  EscalationJobName,
  escalationQueueName,
  forwardJobId,
  type EscalationJobData,
} from './escalation-jobs';

/**
 * The suppliers' queues, one per supplier code, made on first use on the backend the app's QueueModule chose
 * (Redis or PostgreSQL), with the app's prefix. Suppliers are data, so their queues cannot be registered up front.
 */
@Injectable()
export class SupplierQueues implements OnModuleDestroy {
  private readonly queues = new Map<string, Queue>();
  /** Set by SupplierWorkers in a worker process: start this supplier's worker now, not at the next sweep. */
  onUse: ((supplierCode: string) => void) | null = null;

  constructor(
    @Inject(getSharedConfigToken()) readonly root: QueueRootOptions,
    private readonly config: AppConfig,
  ) {}

  queue(supplierCode: string): Queue {
    let queue = this.queues.get(supplierCode);
    if (!queue) {
      queue = new Queue(escalationQueueName(supplierCode), {
        connection: this.root.connection,
        prefix: this.root.prefix,
      });
      this.queues.set(supplierCode, queue);
    }
    return queue;
  }

  /** Queues an escalation's delivery (round 0, or a manual retry's round). Throws when the queue does not answer. */
  async deliver(supplierCode: string, escalationId: string, round: number): Promise<void> {
    await this.add(supplierCode, EscalationJobName.Deliver, escalationId, deliverJobId(escalationId, round));
  }

  /** Queues the one chase of an escalation. */
  async chase(supplierCode: string, escalationId: string): Promise<void> {
    await this.add(supplierCode, EscalationJobName.Chase, escalationId, chaseJobId(escalationId));
  }

  /** Queues a public reply's passing on to one supplier. */
  async forward(supplierCode: string, escalationId: string, eventId: string): Promise<void> {
    const jobId = forwardJobId(escalationId, eventId);
    await this.add(supplierCode, EscalationJobName.Forward, escalationId, jobId, eventId);
  }

  private async add(
    code: string,
    name: EscalationJobName,
    escalationId: string,
    jobId: string,
    eventId?: string,
  ): Promise<void> {
    this.onUse?.(code);
    const { ESCALATION_ATTEMPTS, ESCALATION_BACKOFF_MS } = this.config.env;
    await enqueue(this.queue(code), [
      {
        name,
        data: { escalationId, ...(eventId ? { eventId } : {}) } satisfies EscalationJobData,
        opts: { ...deliveryJobOptions(ESCALATION_ATTEMPTS, ESCALATION_BACKOFF_MS), jobId },
      },
    ]);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
