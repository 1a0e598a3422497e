import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { bankHolidayDates, type BankHolidayOverrides } from './domain/bank-holidays';
import type { BusinessCalendar, OpeningInterval, Weekday } from './domain/business-calendar';
import { SlaCalendar } from './entities/sla-calendar.entity';
import { SlaHolidayOverride } from './entities/sla-holiday-override.entity';
import { unknownCalendar } from './sla-errors';

/** How long a process trusts its copy of the calendars when nobody tells it a newer version exists. */
const CACHE_TTL_MS = 10_000;

interface Snapshot {
  loadedAt: number;
  byCode: Map<string, { calendar: BusinessCalendar; version: number; row: SlaCalendar }>;
  overrides: SlaHolidayOverride[];
}

/**
 * The business calendars as domain values (opening hours + England & Wales bank holidays with the admin
 * overrides), cached per process. Every row carries a `version` that goes up on any change, and callers that
 * read an incident's SLA rows also read their calendar's version (one join), so a stale copy is noticed and
 * reloaded at once; otherwise the copy is refreshed every 10 s.
 *
 * Callers inside a transaction pass its EntityManager, and a reload then reads through it: another connection
 * would not see the transaction's own changes, and on the embedded database (one PGlite session, which belongs to
 * the open transaction until it ends) a query on another connection waits for a commit that never comes.
 */
@Injectable()
export class SlaCalendars {
  private snapshot: Snapshot | null = null;
  private loading: Promise<Snapshot> | null = null;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The calendar `code` at least as new as `version` (when given). Throws SLA.UNKNOWN_CALENDAR when absent. */
  async get(code: string, version?: number, em?: EntityManager): Promise<BusinessCalendar> {
    let snap = await this.current(em);
    const hit = snap.byCode.get(code);
    if (!hit || (version !== undefined && hit.version < version)) {
      snap = await this.reload(em);
    }
    const entry = snap.byCode.get(code);
    if (!entry) throw unknownCalendar(code);
    return entry.calendar;
  }

  /** Every calendar (for `breaching_within` limits and the admin list). */
  async all(): Promise<{ calendar: BusinessCalendar; version: number; row: SlaCalendar }[]> {
    return [...(await this.current()).byCode.values()];
  }

  async overrides(): Promise<SlaHolidayOverride[]> {
    return (await this.current()).overrides;
  }

  /** Forget the cached copy (after a change made by this process). */
  invalidate(): void {
    this.snapshot = null;
  }

  /** Builds the domain value of a calendar row with the given holiday overrides. */
  static toBusinessCalendar(row: SlaCalendar, overrides: readonly SlaHolidayOverride[]): BusinessCalendar {
    const week = {} as Record<Weekday, readonly OpeningInterval[]>;
    for (const day of [1, 2, 3, 4, 5, 6, 7] as Weekday[]) week[day] = row.week[day] ?? [];
    return Object.freeze({
      code: row.code,
      zone: row.zone,
      week,
      holidays: row.bankHolidays ? bankHolidayDates(toOverrides(overrides)) : [],
    });
  }

  private async current(em?: EntityManager): Promise<Snapshot> {
    if (this.snapshot && Date.now() - this.snapshot.loadedAt < CACHE_TTL_MS) return this.snapshot;
    return this.reload(em);
  }

  /** Reads the calendars again: through the caller's transaction when it has one, else once for all waiting callers. */
  private async reload(em?: EntityManager): Promise<Snapshot> {
    if (em?.queryRunner?.isTransactionActive) {
      this.snapshot = await this.load(em);
      return this.snapshot;
    }
    this.loading ??= this.load(this.db.manager).finally(() => (this.loading = null));
    this.snapshot = await this.loading;
    return this.snapshot;
  }

  private async load(em: EntityManager): Promise<Snapshot> {
    const [rows, overrides] = await Promise.all([
      em.getRepository(SlaCalendar).find({ order: { code: 'ASC' } }),
      em.getRepository(SlaHolidayOverride).find({ order: { date: 'ASC' } }),
    ]);
    const byCode = new Map<string, { calendar: BusinessCalendar; version: number; row: SlaCalendar }>();
    for (const row of rows) {
      // Keep the same calendar object while its version is unchanged: the domain memoises per calendar object.
      const previous = this.snapshot?.byCode.get(row.code);
      const calendar =
        previous && previous.version === row.version
          ? previous.calendar
          : SlaCalendars.toBusinessCalendar(row, overrides);
      byCode.set(row.code, { calendar, version: row.version, row });
    }
    return { loadedAt: Date.now(), byCode, overrides };
  }
}

export function toOverrides(rows: readonly SlaHolidayOverride[]): BankHolidayOverrides {
  return {
    add: rows.filter((o) => o.action === 'add').map((o) => ({ date: o.date, name: o.name })),
    remove: rows.filter((o) => o.action === 'remove').map((o) => o.date),
  };
}
