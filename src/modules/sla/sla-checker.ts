import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { QueueName } from '../../queue/queue-names';
import {
  incidentReferences,
  lockFirstFreeIncident,
  lockIncidentFacts,
} from '../incidents/facts/incident-facts';
import type { SlaTarget } from './domain/incident-sla';
import { SlaEngine, type SlaFollowUp } from './sla-engine';
import { REARM_HORIZON_MS } from './sla-jobs';
import { SlaScheduler, type Timer } from './sla-scheduler';
import { dueIncidentIds } from './sla-sql';
import { errorText } from '../../common/errors/error-text';

/**
 * Due incidents read per claim; the claim locks the first one no other process holds. More than the claims that
 * run at once across the workers (two lanes each), so a claim finds a free one while any is left.
 */
const DUE_CANDIDATES = 32;

/** How long a check that keeps failing waits before it is tried again (it stays in the database). */
const FAILED_CHECK_RETRY_MS = 60_000;

export interface SweepResult {
  acted: number;
  armed: number;
}

/**
 * The acting side of the SLA engine, in the worker processes. Three ways in, one code path:
 * - `check(id)`: a delayed job woke up for this incident;
 * - `runDue()`: take whatever the database says is due (`incident_sla.next_check_at <= now`), claiming each
 *   incident with FOR UPDATE ... SKIP LOCKED so several processes share the work without waiting on each other;
 * - `sweep()`: runDue, then re-arm every timer due within the next two minutes (a timer lost with Redis comes
 *   back before it is due).
 * The incident row lock orders every writer the same way (incident first, then its SLA rows), and sla_event's
 * key makes each warning happen once whoever gets there first.
 */
@Injectable()
export class SlaChecker implements OnModuleDestroy {
  private readonly logger = new Logger(SlaChecker.name);
  /** After-commit work (timers, mail and text jobs) still being handed to the queue. */
  private readonly handing = new Set<Promise<void>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Sla) private readonly queue: Queue,
    private readonly engine: SlaEngine,
    private readonly scheduler: SlaScheduler,
    private readonly clock: Clock,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.handing]);
  }

  /** Re-checks one incident now (a timer fired). Null when the incident no longer exists. */
  async check(incidentId: string): Promise<SlaFollowUp | null> {
    const followUp = await this.db.transaction(async (em) => {
      const incident = await lockIncidentFacts(em, incidentId);
      return incident ? this.engine.evaluate(em, incident, this.clock.now()) : null;
    });
    this.handOver(followUp);
    return followUp;
  }

  /**
   * Hands committed work to the queue without waiting for it: the next check is not held up by a slow queue
   * (BullMQ's PostgreSQL backend under load). Nothing depends on it: the mail and text rows and the next check
   * time are already in the database, where the mail sweeper, the poll and the SLA sweep find them.
   */
  private handOver(followUp: SlaFollowUp | null): void {
    if (!followUp) return;
    const work: Promise<void> = this.scheduler
      .afterCommit([followUp])
      .finally(() => this.handing.delete(work));
    this.handing.add(work);
  }

  /** Acts on due checks until none is left or `budget` incidents are done, `lanes` at a time. Returns how many. */
  async runDue(budget = 1000, lanes = 2): Promise<number> {
    let done = 0;
    const lane = async (): Promise<void> => {
      while (done < budget) {
        const outcome = await this.claimOne();
        if (outcome === 'none') return;
        done++;
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    return done;
  }

  async sweep(): Promise<SweepResult> {
    const acted = await this.runDue(5000, 2);
    const armed = await this.rearm();
    if (acted) this.logger.log({ acted, armed }, 'SLA sweep');
    return { acted, armed };
  }

  /** Gives the queue a timer for every check due within the horizon (idempotent adds). */
  async rearm(horizonMs = REARM_HORIZON_MS): Promise<number> {
    const now = this.clock.now();
    const rows = await this.db.query<{ incident_id: string; target: SlaTarget; next_check_at: Date }[]>(
      `SELECT incident_id, target, next_check_at FROM incident_sla
       WHERE next_check_at > $1 AND next_check_at <= $2 ORDER BY next_check_at`,
      [now, new Date(now.getTime() + horizonMs)],
    );
    const references = await incidentReferences(this.db.manager, [
      ...new Set(rows.map((r) => r.incident_id)),
    ]);
    const timers: Timer[] = rows.flatMap((r) => {
      const reference = references.get(r.incident_id);
      return reference
        ? [{ incidentId: r.incident_id, reference, target: r.target, at: r.next_check_at }]
        : [];
    });
    return this.scheduler.arm(timers);
  }

  private async claimOne(): Promise<'none' | 'done'> {
    let claimed: string | null = null;
    try {
      const followUp = await this.db.transaction(async (em) => {
        const now = this.clock.now();
        const incident = await lockFirstFreeIncident(em, await dueIncidentIds(em, now, DUE_CANDIDATES));
        if (!incident) return 'none' as const;
        claimed = incident.id;
        return this.engine.evaluate(em, incident, now);
      });
      if (followUp === 'none') return 'none';
      this.handOver(followUp);
      return 'done';
    } catch (err) {
      if (claimed === null) throw err;
      // Keep a broken incident from spinning the loop: try it again later, and say why.
      this.logger.error(
        { incidentId: claimed, err: errorText(err) },
        'SLA check failed; retrying in a minute',
      );
      await this.db.query(
        'UPDATE incident_sla SET next_check_at = $2 WHERE incident_id = $1 AND next_check_at <= $2',
        [claimed, new Date(this.clock.now().getTime() + FAILED_CHECK_RETRY_MS)],
      );
      return 'done';
    }
  }
}
