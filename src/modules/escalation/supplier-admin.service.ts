import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { Service } from '../directory/service.entity';
import { Supplier } from '../directory/supplier.entity';
import { parseStatusHistory, statusHistorySql } from '../incidents/timeline/status-history';
import { businessMinutesBetween } from '../sla/domain/business-calendar';
import { SlaCalendars } from '../sla/sla-calendars.service';
import { medianMinutes, metPercent, reopenedAfter, type ScoredClock } from './domain/scorecard';
import type { ContractTargetDto, CreateRouteDto, RouteDto, ScorecardDto } from './dto/supplier-admin.dto';

const supplierNotFound = (code: string): DomainError =>
  new DomainError('DIRECTORY.NOT_FOUND', `No supplier ${JSON.stringify(code)}.`, { field: 'code' });

/** Suppliers' contract targets and the routing rules (admin), and the scorecard. */
@Injectable()
export class SupplierAdmin {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly calendars: SlaCalendars,
  ) {}

  async supplier(code: string): Promise<Supplier> {
    const supplier = await this.db.getRepository(Supplier).findOneBy({ code });
    if (!supplier) throw supplierNotFound(code);
    return supplier;
  }

  async targets(code: string): Promise<ContractTargetDto[]> {
    const supplier = await this.supplier(code);
    return this.db.query(
      `SELECT priority, calendar_code AS calendar, acknowledge_minutes AS "acknowledgeMinutes",
              fix_minutes AS "fixMinutes", assumed
         FROM supplier_contract_target WHERE supplier_id = $1 ORDER BY priority`,
      [supplier.id],
    );
  }

  /** Replaces the supplier's targets with these (one per priority; a priority left out has none). */
  async setTargets(code: string, targets: readonly ContractTargetDto[]): Promise<ContractTargetDto[]> {
    const supplier = await this.supplier(code);
    const priorities = targets.map((t) => t.priority);
    if (new Set(priorities).size !== priorities.length)
      throw new DomainError('REQUEST.VALIDATION_FAILED', 'targets: one entry per priority.', {
        field: 'targets',
      });
    for (const [i, t] of targets.entries()) {
      // An unknown calendar is refused by the SLA engine's own error (422).
      await this.calendars.get(t.calendar).catch(() => {
        throw new DomainError(
          'SLA.UNKNOWN_CALENDAR',
          `targets[${i}].calendar: no calendar ${JSON.stringify(t.calendar)}.`,
          {
            field: `targets.${i}.calendar`,
          },
        );
      });
    }
    await this.db.transaction(async (em) => {
      await em.query('DELETE FROM supplier_contract_target WHERE supplier_id = $1', [supplier.id]);
      for (const t of targets) {
        await em.query(
          `INSERT INTO supplier_contract_target (supplier_id, priority, calendar_code, acknowledge_minutes, fix_minutes, assumed)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [supplier.id, t.priority, t.calendar, t.acknowledgeMinutes, t.fixMinutes, t.assumed ?? false],
        );
      }
    });
    return this.targets(code);
  }

  async routes(): Promise<RouteDto[]> {
    const rows = await this.db.query<(RouteDto & { serviceId: string })[]>(
      `SELECT r.id, r.service_id AS "serviceId", r.site_class AS "siteClass", r.priority, s.code AS supplier,
              r.auto_escalate AS "autoEscalate"
         FROM escalation_route r JOIN supplier s ON s.id = r.supplier_id
        ORDER BY r.created_at, r.id`,
    );
    const services = new Map(
      (await this.db.getRepository(Service).find({ select: { id: true, code: true } })).map((s) => [
        s.id,
        s.code,
      ]),
    );
    return rows.map(({ serviceId, ...r }) => ({ ...r, service: services.get(serviceId) ?? '' }));
  }

  async addRoute(dto: CreateRouteDto): Promise<RouteDto> {
    const service = await this.db.getRepository(Service).findOneBy({ code: dto.service });
    if (!service)
      throw new DomainError(
        'DIRECTORY.UNKNOWN_REFERENCE',
        `service: no service ${JSON.stringify(dto.service)}.`,
        {
          field: 'service',
        },
      );
    const supplier = await this.db.getRepository(Supplier).findOneBy({ code: dto.supplier });
    if (!supplier)
      throw new DomainError(
        'DIRECTORY.UNKNOWN_REFERENCE',
        `supplier: no supplier ${JSON.stringify(dto.supplier)}.`,
        {
          field: 'supplier',
        },
      );
    const id = await this.db.transaction(async (em) => {
      // One rule per (service, site class, priority), NULLs included: checked here, one writer of rules at a time.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('escalation_route'))`);
      const same = await em.query<unknown[]>(
        `SELECT 1 FROM escalation_route WHERE service_id = $1
            AND site_class IS NOT DISTINCT FROM $2 AND priority IS NOT DISTINCT FROM $3`,
        [service.id, dto.siteClass ?? null, dto.priority ?? null],
      );
      if (same.length > 0)
        throw new DomainError(
          'DIRECTORY.CODE_TAKEN',
          'A rule for this service, site class and priority exists.',
          {
            field: 'service',
          },
        );
      const [row] = await em.query<{ id: string }[]>(
        `INSERT INTO escalation_route (service_id, site_class, priority, supplier_id, auto_escalate)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [service.id, dto.siteClass ?? null, dto.priority ?? null, supplier.id, dto.autoEscalate ?? false],
      );
      return row.id;
    });
    return (await this.routes()).find((r) => r.id === id) as RouteDto;
  }

  async removeRoute(id: string): Promise<void> {
    const removed = await this.db.query<unknown[]>(
      'WITH gone AS (DELETE FROM escalation_route WHERE id = $1 RETURNING id) SELECT id FROM gone',
      [id],
    );
    if (removed.length === 0) throw new DomainError('ESCALATION.NOT_FOUND', `No routing rule ${id}.`);
  }

  /** The scorecard of escalations made from `from` to `to` (London dates, inclusive). */
  async scorecard(code: string, from: string, to: string): Promise<ScorecardDto> {
    const supplier = await this.supplier(code);
    if (to < from)
      throw new DomainError('REQUEST.VALIDATION_FAILED', 'to: must not be before from.', { field: 'to' });
    const rows = await this.db.query<
      {
        id: string;
        notOurs: boolean;
        resolvedAt: Date | null;
        history: { status: string | null; at: string }[];
        clocks:
          | {
              target: string;
              calendar: string;
              startedAt: string;
              dueAt: string;
              metAt: string | null;
              breachedAt: string | null;
            }[]
          | null;
      }[]
    >(
      `SELECT e.id, e.not_ours AS "notOurs", e.resolved_at AS "resolvedAt", ${statusHistorySql('e.incident_id')} AS history,
              (SELECT json_agg(json_build_object('target', c.target, 'calendar', c.calendar_code, 'startedAt', c.started_at,
                  'dueAt', c.due_at, 'metAt', c.met_at, 'breachedAt', c.breached_at))
                 FROM supplier_clock c WHERE c.escalation_id = e.id) AS clocks
         FROM escalation e
        WHERE e.supplier_id = $1 AND e.created_at >= ($2::date)::timestamp AT TIME ZONE 'Europe/London'
          AND e.created_at < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/London'`,
      [supplier.id, from, to],
    );
    const scored: Record<'acknowledge' | 'fix', ScoredClock[]> = { acknowledge: [], fix: [] };
    for (const row of rows) {
      for (const c of row.clocks ?? []) {
        const metAt = c.metAt ? new Date(c.metAt) : null;
        const calendar = await this.calendars.get(c.calendar);
        (scored[c.target as 'acknowledge' | 'fix'] ?? []).push({
          dueAt: new Date(c.dueAt),
          metAt,
          breachedAt: c.breachedAt ? new Date(c.breachedAt) : null,
          minutesToMeet: metAt ? businessMinutesBetween(calendar, new Date(c.startedAt), metAt) : null,
        });
      }
    }
    return {
      supplier: supplier.code,
      from,
      to,
      escalations: rows.length,
      acknowledgeMetPercent: metPercent(scored.acknowledge),
      fixMetPercent: metPercent(scored.fix),
      medianAcknowledgeMinutes: medianMinutes(scored.acknowledge),
      medianFixMinutes: medianMinutes(scored.fix),
      reopensAfterResolved: rows.filter(
        (r) => r.resolvedAt !== null && reopenedAfter(parseStatusHistory(r.history), new Date(r.resolvedAt)),
      ).length,
      notOurs: rows.filter((r) => r.notOurs).length,
    };
  }
}
