import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { addBusinessMinutes } from './domain/business-calendar';
import type { IncidentSlaDto } from './dto/incident-sla.dto';
import { SlaCalendars } from './sla-calendars.service';
import { type ClockView, presentSla } from './sla-views';

/**
 * One clock row as views() reads it; from JSON (slaRowsJson) the times are ISO strings and elapsed_ms a number.
 */
export interface SlaViewRow {
  incident_id: string;
  target: ClockView['target'];
  calendar_code: string;
  calendar_version: number | null;
  target_minutes: number;
  due_at: Date | string;
  met_at: Date | string | null;
  stopped_at: Date | string | null;
  breached_at: Date | string | null;
  paused: boolean;
  elapsed_ms: string | number;
  computed_at: Date | string;
}

/** SQL for an incident's clock rows as a JSON array of SlaViewRow (null when it has none); `incident` is its alias. */
export function slaRowsJson(incident: string): string {
  return `(SELECT json_agg(json_build_object('incident_id', s.incident_id, 'target', s.target, 'calendar_code', s.calendar_code,
      'calendar_version', c.version, 'target_minutes', s.target_minutes, 'due_at', s.due_at, 'met_at', s.met_at,
      'stopped_at', s.stopped_at, 'breached_at', s.breached_at, 'paused', s.paused, 'elapsed_ms', s.elapsed_ms,
      'computed_at', s.computed_at))
    FROM incident_sla s LEFT JOIN sla_calendar c ON c.code = s.calendar_code WHERE s.incident_id = ${incident}.id)`;
}

/**
 * The read side of the SLA engine: each incident's `sla` block brought forward to now, and the instants the
 * `sla=breaching_within:N` filter compares with. The incident-facing side is SlaParticipant.
 */
@Injectable()
export class SlaService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly calendars: SlaCalendars,
    private readonly clock: Clock,
  ) {}

  /** The `sla` block of each incident, brought forward to now (incidents without clocks are absent). */
  async views(
    incidentIds: readonly string[],
    em: EntityManager = this.db.manager,
  ): Promise<Map<string, IncidentSlaDto>> {
    if (incidentIds.length === 0) return new Map();
    const rows = await em.query<SlaViewRow[]>(
      `SELECT s.incident_id, s.target, s.calendar_code, c.version AS calendar_version, s.target_minutes, s.due_at, s.met_at,
              s.stopped_at, s.breached_at, s.paused, s.elapsed_ms, s.computed_at
       FROM incident_sla s LEFT JOIN sla_calendar c ON c.code = s.calendar_code WHERE s.incident_id = ANY($1::uuid[])`,
      [incidentIds],
    );
    return this.viewsOf(rows, em);
  }

  /** The same from clock rows read by the caller, e.g. with slaRowsJson beside a list's own columns. */
  async viewsOf(
    rows: readonly SlaViewRow[],
    em: EntityManager = this.db.manager,
  ): Promise<Map<string, IncidentSlaDto>> {
    const out = new Map<string, IncidentSlaDto>();
    const now = this.clock.now();
    const byIncident = new Map<string, ClockView[]>();
    const calendars = new Map<string, Awaited<ReturnType<SlaCalendars['get']>>>();
    for (const r of rows) {
      const view: ClockView = {
        incidentId: r.incident_id,
        target: r.target,
        calendarCode: r.calendar_code,
        calendarVersion: r.calendar_version,
        targetMinutes: r.target_minutes,
        dueAt: new Date(r.due_at),
        metAt: r.met_at === null ? null : new Date(r.met_at),
        stoppedAt: r.stopped_at === null ? null : new Date(r.stopped_at),
        breachedAt: r.breached_at === null ? null : new Date(r.breached_at),
        paused: r.paused,
        elapsedMs: Number(r.elapsed_ms),
        computedAt: new Date(r.computed_at),
      };
      if (!calendars.has(view.calendarCode))
        calendars.set(
          view.calendarCode,
          await this.calendars.get(view.calendarCode, view.calendarVersion ?? undefined, em),
        );
      byIncident.set(view.incidentId, [...(byIncident.get(view.incidentId) ?? []), view]);
    }
    for (const [id, views] of byIncident) {
      const sla = presentSla(
        views,
        (v) => calendars.get(v.calendarCode) as NonNullable<ReturnType<typeof calendars.get>>,
        now,
      );
      if (sla) out.set(id, sla);
    }
    return out;
  }

  /** For `sla=breaching_within:N`: per calendar, the instant N business minutes from now. */
  async breachLimits(
    minutes: number,
  ): Promise<{ now: Date; limits: { calendarCode: string; until: Date }[] }> {
    const now = this.clock.now();
    const limits = (await this.calendars.all()).map(({ calendar }) => ({
      calendarCode: calendar.code,
      until: addBusinessMinutes(calendar, now, minutes),
    }));
    return { now, limits };
  }
}
