import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../common/http/pagination';
import { Clock } from '../../common/time/clock';
import { actorLabel, type Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { lockIncident } from '../incidents/facts/incident-facts';
import { bankHolidays } from './domain/bank-holidays';
import { type BusinessCalendar, assertValidCalendar } from './domain/business-calendar';
import { openMinutesPerNormalDay } from './domain/calendars';
import { DEFAULT_CALENDAR_FOR_SITE_CLASS } from './domain/sla-targets';
import { dayOfIsoDate } from './domain/zoned-time';
import type { IncidentSlaDto } from './dto/incident-sla.dto';
import type {
  CalendarInputDto,
  CalendarView,
  HolidayView,
  OverrideInputDto,
  OverrideView,
  PolicyHistoryQueryDto,
  PolicyView,
  PolicyVersionView,
  UpdatePoliciesDto,
} from './dto/sla-admin.dto';
import { SlaCalendar } from './entities/sla-calendar.entity';
import { SlaHolidayOverride } from './entities/sla-holiday-override.entity';
import { SlaPolicyVersion } from './entities/sla-policy-version.entity';
import { SlaCalendars, toOverrides } from './sla-calendars.service';
import { SlaEngine } from './sla-engine';
import { overrideNotFound, unknownCalendar } from './sla-errors';
import { SlaScheduler } from './sla-scheduler';
import { SlaService } from './sla.service';

interface PolicyRow {
  site_class_code: PolicyView['siteClass'];
  priority: PolicyView['priority'];
  calendar_code: string | null;
  effective_calendar: string | null;
  response_minutes: number;
  resolution_minutes: number;
  version_id: string;
  updated_at: Date;
}

/**
 * The admin side of the SLA engine: policies (with their history), calendars and bank-holiday overrides, and the
 * explicit recalculation of one incident. A policy change applies to incidents whose terms are set afterwards; a
 * calendar or holiday change applies to every clock on that calendar, so running clocks are re-checked at once.
 */
@Injectable()
export class SlaAdminService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly calendars: SlaCalendars,
    private readonly engine: SlaEngine,
    private readonly sla: SlaService,
    private readonly scheduler: SlaScheduler,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async listPolicies(em: EntityManager = this.db.manager): Promise<PolicyView[]> {
    const rows = await em.query<PolicyRow[]>(
      `SELECT p.site_class_code, p.priority, p.calendar_code, coalesce(p.calendar_code, sc.calendar_code) AS effective_calendar,
              p.response_minutes, p.resolution_minutes, p.version_id, p.updated_at
       FROM sla_policy p LEFT JOIN site_class sc ON sc.code = p.site_class_code ORDER BY p.site_class_code, p.priority`,
    );
    return rows.map((r) => ({
      siteClass: r.site_class_code,
      priority: r.priority,
      calendar: r.effective_calendar ?? DEFAULT_CALENDAR_FOR_SITE_CLASS[r.site_class_code],
      calendarFromSiteClass: r.calendar_code === null,
      responseMinutes: r.response_minutes,
      resolutionMinutes: r.resolution_minutes,
      versionId: String(r.version_id),
      updatedAt: r.updated_at.toISOString(),
    }));
  }

  /** Upserts the given rows, each with a new history version. Applies to incidents whose terms are set from now on. */
  async updatePolicies(dto: UpdatePoliciesDto, actor: Actor): Promise<PolicyView[]> {
    const keys = dto.policies.map((p) => `${p.siteClass}/${p.priority}`);
    const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
    const problems = [
      ...twice.map((k) => `policies: ${k} is given twice`),
      ...dto.policies
        .filter((p) => p.responseMinutes > p.resolutionMinutes)
        .map((p) => `policies: ${p.siteClass}/${p.priority} responseMinutes is more than resolutionMinutes`),
    ];
    if (problems.length)
      throw new DomainError('REQUEST.VALIDATION_FAILED', problems.join('; '), {
        fields: [{ field: 'policies', reasons: problems }],
      });
    return this.db.transaction(async (em) => {
      const known = new Set(
        (await em.getRepository(SlaCalendar).find({ select: { code: true } })).map((c) => c.code),
      );
      const unknown = dto.policies.find((p) => p.calendar && !known.has(p.calendar));
      if (unknown?.calendar) throw unknownCalendar(unknown.calendar, 'policies.calendar');
      for (const p of dto.policies) {
        await em.query(
          `WITH v AS (
             INSERT INTO sla_policy_version (site_class_code, priority, calendar_code, response_minutes, resolution_minutes, changed_by, reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id)
           INSERT INTO sla_policy (site_class_code, priority, calendar_code, response_minutes, resolution_minutes, version_id)
           SELECT $1, $2, $3, $4, $5, id FROM v
           ON CONFLICT (site_class_code, priority) DO UPDATE SET calendar_code = EXCLUDED.calendar_code, response_minutes = EXCLUDED.response_minutes,
             resolution_minutes = EXCLUDED.resolution_minutes, version_id = EXCLUDED.version_id, updated_at = now()`,
          [
            p.siteClass,
            p.priority,
            p.calendar ?? null,
            p.responseMinutes,
            p.resolutionMinutes,
            actorLabel(actor),
            dto.reason ?? null,
          ],
        );
      }
      return this.listPolicies(em);
    });
  }

  async policyHistory(query: PolicyHistoryQueryDto): Promise<Page<PolicyVersionView>> {
    const limit = query.limit ?? 100;
    const qb = this.db
      .getRepository(SlaPolicyVersion)
      .createQueryBuilder('v')
      .orderBy('v.id', 'DESC')
      .take(limit + 1);
    if (query.siteClass) qb.andWhere('v.siteClassCode = :siteClass', { siteClass: query.siteClass });
    if (query.priority) qb.andWhere('v.priority = :priority', { priority: query.priority });
    if (query.cursor)
      qb.andWhere('v.id < :before', { before: decodeCursor(query.cursor, { id: 'bigint' }).id });
    const rows = await qb.getMany();
    return toPage(
      rows,
      limit,
      (v) => encodeCursor({ id: v.id }),
      (v) => ({
        id: String(v.id),
        siteClass: v.siteClassCode,
        priority: v.priority,
        calendar: v.calendarCode,
        responseMinutes: v.responseMinutes,
        resolutionMinutes: v.resolutionMinutes,
        changedBy: v.changedBy,
        reason: v.reason,
        validFrom: v.validFrom.toISOString(),
      }),
    );
  }

  async listCalendars(): Promise<CalendarView[]> {
    const rows = await this.db.getRepository(SlaCalendar).find({ order: { code: 'ASC' } });
    return rows.map(calendarView);
  }

  /** Creates or replaces a calendar; every running clock on it is re-checked straight away. */
  async putCalendar(code: string, dto: CalendarInputDto): Promise<CalendarView> {
    if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(code))
      throw new DomainError(
        'REQUEST.VALIDATION_FAILED',
        'code: lower-case letters, digits, - and _ (up to 32)',
        { fields: [{ field: 'code', reasons: ['bad code'] }] },
      );
    const value: BusinessCalendar = { code, zone: dto.zone ?? 'Europe/London', week: dto.week, holidays: [] };
    assertValidCalendar(value);
    openMinutesPerNormalDay(value); // SLA.CALENDAR_NEVER_OPENS for a week with no open time
    const saved = await this.db.transaction(async (em) => {
      const repo = em.getRepository(SlaCalendar);
      const existing = await repo.findOne({ where: { code }, lock: { mode: 'pessimistic_write' } });
      const week = Object.fromEntries(
        [1, 2, 3, 4, 5, 6, 7].map((d) => [d, dto.week[d as 1]]),
      ) as SlaCalendar['week'];
      const row = await repo.save({
        code,
        name: dto.name,
        zone: value.zone,
        week,
        bankHolidays: dto.bankHolidays,
        version: (existing?.version ?? 0) + 1,
      });
      await this.recheck(em, [code]);
      return row;
    });
    this.calendars.invalidate();
    return calendarView(saved);
  }

  /** The bank holidays in force (table + overrides), for one year or all of them. */
  async holidays(year?: number): Promise<HolidayView[]> {
    const overrides = await this.db.getRepository(SlaHolidayOverride).find();
    const added = new Set(overrides.filter((o) => o.action === 'add').map((o) => o.date));
    return bankHolidays(toOverrides(overrides))
      .filter((h) => year === undefined || h.date.startsWith(`${year}-`))
      .map((h) => ({ date: h.date, name: h.name, source: added.has(h.date) ? 'override' : 'table' }));
  }

  async listOverrides(): Promise<OverrideView[]> {
    return (await this.db.getRepository(SlaHolidayOverride).find({ order: { date: 'ASC' } })).map(
      overrideView,
    );
  }

  async putOverride(date: string, dto: OverrideInputDto, actor: Actor): Promise<OverrideView> {
    if (dayOfIsoDate(date) === null)
      throw new DomainError('REQUEST.VALIDATION_FAILED', `date: "${date}" is not a YYYY-MM-DD date`, {
        fields: [{ field: 'date', reasons: ['not a date'] }],
      });
    const saved = await this.db.transaction(async (em) => {
      const row = await em
        .getRepository(SlaHolidayOverride)
        .save({ date, action: dto.action, name: dto.name, changedBy: actorLabel(actor) });
      await this.holidaysChanged(em);
      return row;
    });
    this.calendars.invalidate();
    return overrideView(saved);
  }

  async deleteOverride(date: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const result = await em.getRepository(SlaHolidayOverride).delete({ date });
      if (!result.affected) throw overrideNotFound(date);
      await this.holidaysChanged(em);
    });
    this.calendars.invalidate();
  }

  /** Takes the policy in force now for one incident and recomputes its clocks from its history. */
  async recalculate(
    reference: string,
    actor: Actor,
  ): Promise<{ reference: string; sla: IncidentSlaDto | null }> {
    const now = this.clock.now();
    const followUp = await this.db.transaction(async (em) => {
      const incident = await lockIncident(em, reference);
      const result = await this.engine.evaluate(em, incident, now, {
        resetTerms: true,
        recordChange: { reason: 'recalculated', actor },
      });
      await this.audit.record(em, {
        entityType: 'incident',
        entityId: incident.id,
        action: 'incident.sla_recalculated',
        actor,
        changes: [],
      });
      return result;
    });
    await this.scheduler.afterCommit([followUp]);
    return { reference, sla: (await this.sla.views([followUp.incidentId])).get(followUp.incidentId) ?? null };
  }

  private async holidaysChanged(em: EntityManager): Promise<void> {
    // An UPDATE through TypeORM answers [rows, affected].
    const [rows] = await em.query<[{ code: string }[], number]>(
      'UPDATE sla_calendar SET version = version + 1, updated_at = now() WHERE bank_holidays RETURNING code',
    );
    const codes = rows.map((r) => r.code);
    await this.recheck(em, codes);
  }

  /** Running clocks on these calendars are due for a check now: the poll (or the next sweep) recomputes them. */
  private async recheck(em: EntityManager, codes: readonly string[]): Promise<void> {
    if (codes.length)
      await em.query(
        'UPDATE incident_sla SET next_check_at = $2 WHERE calendar_code = ANY($1) AND stopped_at IS NULL',
        [codes, this.clock.now()],
      );
  }
}

function calendarView(row: SlaCalendar): CalendarView {
  return {
    code: row.code,
    name: row.name,
    zone: row.zone,
    week: row.week,
    bankHolidays: row.bankHolidays,
    version: row.version,
    minutesPerDay: openMinutesPerNormalDay({ code: row.code, zone: row.zone, week: row.week, holidays: [] }),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function overrideView(row: SlaHolidayOverride): OverrideView {
  return {
    date: row.date,
    action: row.action,
    name: row.name,
    changedBy: row.changedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}
