import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import { runPrepared, type PreparedStatement } from '../../../database/prepared-statement';
import { QueueName } from '../../../queue/queue-names';
import { enqueue, jobLiveness } from '../../../common/queue/jobs';
import type { InboundSource } from './inbound-message.entity';
import { IntakeJobName, intakeJobId, PROCESS_JOB_OPTIONS, type IntakeJobData } from './intake-jobs';
import { IntakeSettings } from './intake-settings';
import { errorText } from '../../../common/errors/error-text';

export interface NewInboundMessage {
  source: InboundSource;
  raw: Buffer;
  envelopeFrom?: string | null;
  envelopeTo?: string[];
  remoteAddress?: string | null;
  imap?: { uidValidity: string; uid: string };
}

/** Every accepted message runs it (before the 250), so PostgreSQL plans it once per connection. */
const STORE_RAW: PreparedStatement = {
  name: 'inbound_store',
  text: `INSERT INTO inbound_message (mailbox, source, raw, size, envelope_from, envelope_to, remote_address, imap_uid_validity, imap_uid)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
};

/**
 * The front door of both intake sources: write the raw message (one INSERT, committed on its own or in the
 * caller's transaction), then, after the commit, put a pipeline job on the queue. A lost job costs only
 * time: IntakeSweeper re-queues every stored row that is not processed.
 */
@Injectable()
export class InboundStore {
  private readonly logger = new Logger(InboundStore.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.EmailIntake) private readonly queue: Queue,
    private readonly settings: IntakeSettings,
  ) {}

  /** Stores the raw message and returns its id. Throws when the database does not take it. */
  async store(message: NewInboundMessage, em: EntityManager = this.db.manager): Promise<string> {
    const rows = await runPrepared<{ id: string }>(this.db, em, STORE_RAW, [
      this.settings.mailbox,
      message.source,
      message.raw,
      message.raw.length,
      message.envelopeFrom?.slice(0, 320) || null,
      (message.envelopeTo ?? []).map((a) => a.slice(0, 320)),
      message.remoteAddress?.slice(0, 64) ?? null,
      message.imap?.uidValidity ?? null,
      message.imap?.uid ?? null,
    ]);
    const id = rows[0]?.id;
    if (!id) throw new Error('inbound_message insert returned no id');
    return id;
  }

  /**
   * Makes sure a row has a live job: none, or a finished one (completed or failed, kept by the queue's
   * retention, which would make a new add with the same id a no-op) is replaced. True when a job was added.
   */
  async requeue(id: string, options: { stale?: boolean } = {}): Promise<boolean> {
    const jobId = intakeJobId(id);
    switch (await jobLiveness(this.queue, jobId)) {
      case 'none':
        await this.enqueue([id]);
        return true;
      case 'active':
        // The row says nobody is on it (the sweeper only passes stale rows): the worker holding this job died,
        // and the queue would only notice when the job's lock runs out. A second job is harmless: runs claim.
        if (!options.stale) return false;
        await this.enqueue([id], `-${Date.now()}`);
        return true;
      case 'queued':
        return false;
    }
  }

  /** Queues a pipeline job per row (deterministic job ids); never throws. Call after the rows committed. */
  async enqueue(ids: readonly string[], jobIdSuffix = ''): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const jobs = unique.map((inboundMessageId) => ({
      name: IntakeJobName.Process,
      data: { inboundMessageId } satisfies IntakeJobData[IntakeJobName.Process],
      opts: { ...PROCESS_JOB_OPTIONS, jobId: intakeJobId(inboundMessageId) + jobIdSuffix },
    }));
    try {
      await enqueue(this.queue, jobs);
    } catch (err) {
      this.logger.warn(
        { inboundMessageIds: unique, err: errorText(err) },
        'Could not queue inbound mail; the sweeper will',
      );
    }
  }
}
