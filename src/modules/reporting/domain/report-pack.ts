import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { REPORT_ZONE, wholeMonths, type ReportPeriod } from './report-period';
import type { SlaReport } from './sla-report';

/** The month 'YYYY-MM' a period is exactly (its first to its last day), or null. */
export function wholeMonthOf(period: ReportPeriod): string | null {
  const months = wholeMonths(period);
  return months?.length === 1 ? months[0] : null;
}

/** Whether the month is closed at `now`: `afterDays` whole days have passed since its end (in England). */
export function monthClosed(month: string, now: Date, afterDays: number): boolean {
  const end = DateTime.fromISO(`${month}-01`, { zone: REPORT_ZONE }).plus({ months: 1 });
  return now.getTime() >= end.plus({ days: afterDays }).toMillis();
}

/** The figures that make a report what it is: everything but the instant it was computed and its frozen block. */
function figures(report: SlaReport): Omit<SlaReport, 'asOf' | 'frozen'> {
  const { asOf: _asOf, frozen: _frozen, ...rest } = report;
  return rest;
}

/** JSON with object keys sorted, so equal figures give equal text whatever order they were built in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** sha256 (hex) over the report's figures and the CSV. */
export function packHash(report: SlaReport, csv: string): string {
  return createHash('sha256')
    .update(canonical(figures(report)))
    .update('\n')
    .update(csv)
    .digest('hex');
}

export interface FigureChange {
  path: string;
  frozen: unknown;
  now: unknown;
}

function flatten(value: unknown, path: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    if (entries.length === 0) out.set(path, Array.isArray(value) ? [] : {});
    for (const [k, v] of entries) flatten(v, path ? `${path}.${k}` : k, out);
  } else out.set(path, value);
}

/** Every figure that differs between a frozen report and the same report computed now, by path. */
export function reportChanges(frozen: SlaReport, now: SlaReport): FigureChange[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(figures(frozen), '', a);
  flatten(figures(now), '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths
    .filter((p) => canonical(a.get(p)) !== canonical(b.get(p)))
    .map((p) => ({ path: p, frozen: a.get(p) ?? null, now: b.get(p) ?? null }));
}
