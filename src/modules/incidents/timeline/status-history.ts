import type { EntityManager } from 'typeorm';
import type { IncidentStatus } from '../domain/incident-enums';
import type { SystemEventType } from '../incident-event.entity';

/**
 * The contract of an incident's status history, in one place: which timeline events record a status change,
 * what their `data` holds, and how it is read back. The workflow writes it (statusEventData); the SLA engine and
 * reporting read it (statusHistorySql / parseStatusHistory / readStatusHistory).
 */

/** The system events that record a status change. */
export const STATUS_EVENTS = [
  'status_changed',
  'reopened',
  'auto_closed',
] as const satisfies readonly SystemEventType[];
export type StatusEventType = (typeof STATUS_EVENTS)[number];

/** What a status event's `data` holds. `at` is the desk clock's instant of the change. */
export interface StatusEventData {
  from: IncidentStatus;
  to: IncidentStatus;
  at: string;
  resolution?: string;
}

/** One entry of the history: the incident entered `status` at `at`. */
export interface StatusChange {
  status: IncidentStatus;
  at: Date;
}

/** The `data` of a status event. */
export function statusEventData(
  from: IncidentStatus,
  to: IncidentStatus,
  at: Date,
  resolution?: string,
): StatusEventData {
  return resolution ? { from, to, at: at.toISOString(), resolution } : { from, to, at: at.toISOString() };
}

/**
 * SQL for the history of the incident whose id is `incidentId` (an expression: a parameter such as `$1`, or a
 * column), as a JSON array of `{status, at}` in timeline order, for a reader that fetches it beside its own rows.
 * An event written without `data.at` (older rows) counts from when it was recorded.
 */
export function statusHistorySql(incidentId: string): string {
  const types = STATUS_EVENTS.map((t) => `'${t}'`).join(', ');
  return `(SELECT coalesce(json_agg(json_build_object('status', e.data->>'to',
      'at', coalesce((e.data->>'at')::timestamptz, e.created_at)) ORDER BY e.id), '[]')
    FROM incident_event e WHERE e.incident_id = ${incidentId} AND e.kind = 'system' AND e.event_type IN (${types}))`;
}

/** The history from statusHistorySql's JSON. */
export function parseStatusHistory(json: readonly { status: string | null; at: string }[]): StatusChange[] {
  return json
    .filter((h): h is { status: IncidentStatus; at: string } => typeof h.status === 'string')
    .map((h) => ({ status: h.status, at: new Date(h.at) }));
}

/** One incident's status history, read in the caller's transaction. */
export async function readStatusHistory(em: EntityManager, incidentId: string): Promise<StatusChange[]> {
  const [row] = await em.query<{ history: { status: string | null; at: string }[] }[]>(
    `SELECT ${statusHistorySql('$1')} AS history`,
    [incidentId],
  );
  return parseStatusHistory(row.history);
}
