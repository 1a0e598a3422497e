import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { errorText } from '../../common/errors/error-text';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { formatReference } from '../incidents/domain/incident-reference';
import { lockIncidentFacts } from '../incidents/facts/incident-facts';
import { appendEvent, DESK_AUTHOR } from '../incidents/timeline/append-event';
import { DeskAlerts } from './desk-alerts';
import { dueStep, nextCheck, WARN_FRACTION } from './domain/contract-clock';
import { SupplierQueues } from './supplier-queues';

interface DueClock {
  escalationId: string;
  target: 'acknowledge' | 'fix';
  incidentId: string;
  supplierCode: string;
  supplierName: string;
}

interface ClockRow {
  warnAt: Date;
  dueAt: Date;
  metAt: Date | null;
  warnedAt: Date | null;
  breachedAt: Date | null;
}

/**
 * The suppliers' contract clocks, acted on by every worker process every ESCALATION_CLOCK_POLL_MS, straight from
 * PostgreSQL and by the desk clock (frozen in tests): at 75 % a warning on the timeline, and for the acknowledge
 * target a chase of the supplier by its channel (once: the chase job's id is fixed); at 100 % the breach, on the
 * timeline and recorded on the clock, and a mail to the desk managers. Each clock is acted on under its incident's
 * lock and read again there, so two workers never act twice.
 */
@Injectable()
export class ContractClocks implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ContractClocks.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly queues: SupplierQueues,
    private readonly alerts: DeskAlerts,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.env.ESCALATION_CLOCK_POLL_MS;
    if (every > 0)
      this.timer = setInterval(() => {
        if (this.running) return;
        this.running = this.runDue()
          .catch((err: unknown) => this.logger.warn({ err: errorText(err) }, 'Contract clock poll failed'))
          .finally(() => (this.running = null));
      }, every);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Acts on every clock due at the desk clock's now (up to `limit`); returns how many steps were taken. */
  async runDue(limit = 200): Promise<number> {
    const now = this.clock.now();
    const due = await this.db.query<DueClock[]>(
      `SELECT c.escalation_id AS "escalationId", c.target, e.incident_id AS "incidentId", s.code AS "supplierCode",
              s.name AS "supplierName"
         FROM supplier_clock c JOIN escalation e ON e.id = c.escalation_id JOIN supplier s ON s.id = e.supplier_id
        WHERE c.next_check_at <= $1 ORDER BY c.next_check_at LIMIT $2`,
      [now, limit],
    );
    let steps = 0;
    for (const clock of due) if (await this.act(clock, now)) steps++;
    return steps;
  }

  private async act(due: DueClock, now: Date): Promise<boolean> {
    let chase = false;
    let mails: string[] = [];
    const step = await this.db.transaction(async (em) => {
      const incident = await lockIncidentFacts(em, due.incidentId);
      const [row] = await em.query<ClockRow[]>(
        `SELECT warn_at AS "warnAt", due_at AS "dueAt", met_at AS "metAt", warned_at AS "warnedAt",
                breached_at AS "breachedAt"
           FROM supplier_clock WHERE escalation_id = $1 AND target = $2 AND next_check_at <= $3`,
        [due.escalationId, due.target, now],
      );
      if (!row || !incident) return null;
      const taken = dueStep(row, now);
      await em.query(
        `UPDATE supplier_clock SET warned_at = CASE WHEN $3::text = 'warn' THEN $4::timestamptz ELSE warned_at END,
            breached_at = CASE WHEN $3::text = 'breach' THEN $4::timestamptz ELSE breached_at END, next_check_at = $5::timestamptz
          WHERE escalation_id = $1 AND target = $2`,
        [due.escalationId, due.target, taken, now, nextCheck(row, taken)],
      );
      if (taken === null) return null;
      await appendEvent(em, {
        incidentId: due.incidentId,
        kind: 'system',
        type: taken === 'warn' ? 'supplier_clock_warning' : 'supplier_clock_breached',
        author: DESK_AUTHOR,
        data: {
          escalationId: due.escalationId,
          supplier: due.supplierCode,
          target: due.target,
          level: taken === 'warn' ? WARN_FRACTION * 100 : 100,
          dueAt: row.dueAt.toISOString(),
        },
      });
      if (taken === 'warn' && due.target === 'acknowledge') chase = true;
      if (taken === 'breach')
        mails = await this.alerts.queue(em, {
          incidentId: due.incidentId,
          reference: formatReference(incident.number),
          supplierName: due.supplierName,
          headline: `${due.supplierName} breached its ${due.target} target`,
          detail: `The supplier's ${due.target} target was due ${row.dueAt.toISOString()}.`,
        });
      return taken;
    });
    if (step === null) return false;
    this.logger.log({ escalationId: due.escalationId, target: due.target, step }, 'Supplier contract clock');
    await this.alerts.dispatch(mails);
    if (chase)
      await this.queues
        .chase(due.supplierCode, due.escalationId)
        .catch((err: unknown) =>
          this.logger.warn({ escalationId: due.escalationId, err: errorText(err) }, 'Chase not queued'),
        );
    return true;
  }
}
