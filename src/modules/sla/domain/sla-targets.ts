import type { SiteClassCode } from '../../directory/domain/site-classes';
import { PRIORITIES, type Priority } from '../../incidents/domain/incident-enums';
import { DEFAULT_CALENDARS, type DefaultCalendarCode, openMinutesPerNormalDay } from './calendars';
import { SlaTargetNotFoundError } from './sla-domain.errors';

/**
 * The default SLA target table: site class × priority → calendar and targets in BUSINESS minutes of that
 * calendar. "One business day" is the class calendar's `openMinutesPerNormalDay` (24x7 1440, gp_core 630,
 * office 480), so e.g. P3 resolution at a community_health site is 3 × 630 = 1890 minutes.
 */

/*
 * Site classes and priorities are the directory's and the incident's own value sets, not copies: `Priority` comes
 * from the pure incident enums, `SiteClass` is the directory's `SiteClassCode` (a type-only import, erased at
 * compile time, so this file still loads no ORM). The list below is pinned to the directory's SITE_CLASSES by a
 * `satisfies` here and an equality test in sla-targets.spec.ts.
 */
export type SiteClass = SiteClassCode;
export const SITE_CLASSES = [
  'hospital',
  'community_health',
  'mental_health',
  'prison',
  'other',
] as const satisfies readonly SiteClass[];

export { PRIORITIES, type Priority };

export interface SlaTargetRow {
  readonly siteClass: SiteClass;
  readonly priority: Priority;
  readonly calendarCode: string;
  /** First-response target, business minutes of `calendarCode`. */
  readonly responseMinutes: number;
  /** Resolution target, business minutes of `calendarCode`. */
  readonly resolutionMinutes: number;
}

export const DEFAULT_CALENDAR_FOR_SITE_CLASS: Readonly<Record<SiteClass, DefaultCalendarCode>> =
  Object.freeze({
    hospital: '24x7',
    community_health: 'gp_core',
    mental_health: '24x7',
    prison: '24x7',
    other: 'office',
  });

/** P1 always runs on this calendar, whatever the site class. */
export const P1_FORCED_CALENDAR: DefaultCalendarCode = '24x7';

/** The 20 default rows (5 site classes × 4 priorities), a fresh array each call. */
export function defaultSlaTargets(): SlaTargetRow[] {
  const rows: SlaTargetRow[] = [];
  for (const siteClass of SITE_CLASSES) {
    const calendarCode = DEFAULT_CALENDAR_FOR_SITE_CLASS[siteClass];
    const day = openMinutesPerNormalDay(DEFAULT_CALENDARS[calendarCode]);
    rows.push(
      {
        siteClass,
        priority: 'P1',
        calendarCode: P1_FORCED_CALENDAR,
        responseMinutes: 15,
        resolutionMinutes: 240,
      },
      { siteClass, priority: 'P2', calendarCode, responseMinutes: 30, resolutionMinutes: 480 },
      { siteClass, priority: 'P3', calendarCode, responseMinutes: 120, resolutionMinutes: 3 * day },
      { siteClass, priority: 'P4', calendarCode, responseMinutes: day, resolutionMinutes: 10 * day },
    );
  }
  return rows;
}

/** The row for (siteClass, priority); throws `SlaTargetNotFoundError` (SLA.TARGET_NOT_FOUND) when absent. */
export function targetFor(
  rows: readonly SlaTargetRow[],
  siteClass: SiteClass,
  priority: Priority,
): SlaTargetRow {
  const row = rows.find((r) => r.siteClass === siteClass && r.priority === priority);
  if (row === undefined) throw new SlaTargetNotFoundError(siteClass, priority);
  return row;
}
