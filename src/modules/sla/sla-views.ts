import {
  type BusinessCalendar,
  businessMillisecondsBetween,
  addBusinessMilliseconds,
} from './domain/business-calendar';
import type { SlaTarget } from './domain/incident-sla';
import type { IncidentSlaDto, SlaClockDto } from './dto/incident-sla.dto';

/** A stored clock as the read side needs it. */
export interface ClockView {
  incidentId: string;
  target: SlaTarget;
  calendarCode: string;
  calendarVersion: number | null;
  targetMinutes: number;
  dueAt: Date;
  metAt: Date | null;
  stoppedAt: Date | null;
  breachedAt: Date | null;
  paused: boolean;
  elapsedMs: number;
  computedAt: Date;
}

/**
 * A stored clock brought forward to `now` without the history (minutes are whole business minutes, percent whole): a running clock has accrued the calendar's open
 * time since it was computed (nothing else can have changed it, since every status change recomputes); a paused
 * or stopped one has not. A paused clock's due time is "if the caller answered now".
 */
export function presentClock(row: ClockView, calendar: BusinessCalendar, now: Date): SlaClockDto {
  const targetMs = row.targetMinutes * 60_000;
  const stopped = row.stoppedAt !== null;
  const running = !stopped && !row.paused;
  const elapsed = running
    ? row.elapsedMs + businessMillisecondsBetween(calendar, row.computedAt, now)
    : row.elapsedMs;
  const breached = stopped ? row.breachedAt !== null : elapsed >= targetMs;
  let dueAt = row.dueAt;
  if (row.paused && !stopped && elapsed < targetMs)
    dueAt = addBusinessMilliseconds(calendar, now, targetMs - elapsed);
  return {
    dueAt: dueAt.toISOString(),
    metAt: row.metAt?.toISOString() ?? null,
    breached,
    // Whole numbers, rounded so that a clock never looks further along than it is: a minute left shows until due,
    // 99 % until breached. (Also keeps two reads a few milliseconds apart equal, almost always.)
    breachedByMinutes: breached ? Math.floor(Math.max(0, elapsed - targetMs) / 60_000) : 0,
    remainingMinutes: Math.ceil(Math.max(0, targetMs - elapsed) / 60_000),
    percentElapsed: targetMs === 0 ? 100 : Math.floor((elapsed / targetMs) * 100),
    paused: row.paused && !stopped,
    stopped,
    calendar: row.calendarCode,
    targetMinutes: row.targetMinutes,
  };
}

export function presentSla(
  rows: readonly ClockView[],
  calendarOf: (row: ClockView) => BusinessCalendar,
  now: Date,
): IncidentSlaDto | null {
  const response = rows.find((r) => r.target === 'response');
  const resolution = rows.find((r) => r.target === 'resolution');
  if (!response || !resolution) return null;
  return {
    response: presentClock(response, calendarOf(response), now),
    resolution: presentClock(resolution, calendarOf(resolution), now),
  };
}
