import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { openIntervals } from './domain/business-calendar';
import { SlaCalendars } from './sla-calendars.service';

const DAY_MS = 86_400_000;

/**
 * Open intervals cut at each UTC midnight, so no row is longer than a day and a range's overlapping rows are found
 * from an index range that starts a day before it (businessMinutesSql relies on this).
 */
export function splitAtUtcMidnight(
  intervals: readonly { start: Date; end: Date }[],
): { start: Date; end: Date }[] {
  const out: { start: Date; end: Date }[] = [];
  for (const { start, end } of intervals) {
    let a = start.getTime();
    const b = end.getTime();
    while (a < b) {
      const next = Math.min(b, (Math.floor(a / DAY_MS) + 1) * DAY_MS);
      out.push({ start: new Date(a), end: new Date(next) });
      a = next;
    }
  }
  return out;
}

/** Years outside this range are never written (a report asking beyond them measures nothing there). */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

/**
 * Keeps `sla_open_period` true for the years a report needs: each (calendar, year) is written from the domain's
 * `openIntervals` and rewritten when the calendar's version (which goes up with every calendar or bank-holiday
 * override change) is newer than the one it was written from. Writers take one advisory lock, so two reports
 * needing the same year write it once.
 */
@Injectable()
export class SlaOpenPeriods {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly calendars: SlaCalendars,
  ) {}

  /** Makes sure every calendar's open periods are written for the years `fromYear` … `toYear` (inclusive). */
  async ensureYears(fromYear: number, toYear: number): Promise<void> {
    const first = Math.max(FIRST_YEAR, fromYear);
    const last = Math.min(LAST_YEAR, toYear);
    if (last < first) return;
    const stale = await this.staleYears(first, last);
    if (stale.length === 0) return;
    await this.db.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('sla_open_period'))`);
      for (const { code, version, year } of await this.staleYears(first, last, em)) {
        const calendar = await this.calendars.get(code, version);
        const zoneStart = (y: number) => DateTime.fromObject({ year: y }, { zone: 'UTC' }).toJSDate();
        const intervals = splitAtUtcMidnight(openIntervals(calendar, zoneStart(year), zoneStart(year + 1)));
        await em.query(
          `DELETE FROM sla_open_period WHERE calendar_code = $1 AND opens_at >= $2 AND opens_at < $3`,
          [code, zoneStart(year), zoneStart(year + 1)],
        );
        if (intervals.length > 0)
          await em.query(
            `INSERT INTO sla_open_period (calendar_code, opens_at, closes_at)
             SELECT $1, o, c FROM unnest($2::timestamptz[], $3::timestamptz[]) AS t(o, c)`,
            [code, intervals.map((i) => i.start), intervals.map((i) => i.end)],
          );
        await em.query(
          `INSERT INTO sla_open_period_year (calendar_code, year, calendar_version) VALUES ($1, $2, $3)
           ON CONFLICT (calendar_code, year) DO UPDATE SET calendar_version = EXCLUDED.calendar_version`,
          [code, year, version],
        );
      }
    });
    // Fresh planner statistics, so business-time lookups use the (calendar, opens_at) index range.
    await this.db.query('ANALYZE sla_open_period');
  }

  /** (calendar, year) pairs not written, or written from an older calendar version. */
  private async staleYears(
    first: number,
    last: number,
    em = this.db.manager,
  ): Promise<{ code: string; version: number; year: number }[]> {
    return em.query(
      `SELECT c.code, c.version, y.year::int AS year
         FROM sla_calendar c CROSS JOIN generate_series($1::int, $2::int) AS y(year)
         LEFT JOIN sla_open_period_year w ON w.calendar_code = c.code AND w.year = y.year
        WHERE w.calendar_version IS DISTINCT FROM c.version
        ORDER BY c.code, y.year`,
      [first, last],
    );
  }
}
