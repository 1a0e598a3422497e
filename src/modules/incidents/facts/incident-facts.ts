import type { EntityManager } from 'typeorm';
import { IncidentDomainError } from '../domain/incident-errors';
import { formatReference, parseReference } from '../domain/incident-reference';
import { Incident } from '../incident.entity';
import { runChangeGuard } from './change-guard';

/**
 * What other modules may know of an incident row: the facts its participants act on (the SLA engine's clocks,
 * escalation's routing). A loaded Incident is one; lockIncidentFacts reads one without loading the entity.
 */
export type IncidentFacts = Pick<
  Incident,
  | 'id'
  | 'number'
  | 'reportedAt'
  | 'status'
  | 'resolvedAt'
  | 'siteClassCode'
  | 'priority'
  | 'assigneeId'
  | 'trustId'
  | 'siteId'
  | 'serviceId'
  | 'summary'
>;

const FACTS = `i.id, i.number, i.reported_at AS "reportedAt", i.status, i.resolved_at AS "resolvedAt",
  i.site_class_code AS "siteClassCode", i.priority, i.assignee_id AS "assigneeId", i.trust_id AS "trustId",
  i.site_id AS "siteId", i.service_id AS "serviceId", i.summary`;

/**
 * Locks one incident's row until the caller's transaction ends and reads its facts; null when there is no such
 * incident. Every writer locks the incident row first (then its own rows), so writers to one incident queue up in
 * one order and never deadlock.
 */
export async function lockIncidentFacts(
  em: EntityManager,
  incidentId: string,
): Promise<IncidentFacts | null> {
  const rows = await em.query<IncidentFacts[]>(`SELECT ${FACTS} FROM incident i WHERE i.id = $1 FOR UPDATE`, [
    incidentId,
  ]);
  return rows[0] ?? null;
}

/**
 * Locks the first of these incidents (in the order given) that no other transaction holds, skipping those that
 * are held (SKIP LOCKED), and reads its facts; null when every one is held or gone. For workers sharing a list of
 * due incidents without waiting on each other.
 */
export async function lockFirstFreeIncident(
  em: EntityManager,
  incidentIds: readonly string[],
): Promise<IncidentFacts | null> {
  if (incidentIds.length === 0) return null;
  const rows = await em.query<IncidentFacts[]>(
    `SELECT ${FACTS} FROM incident i WHERE i.id = ANY($1::uuid[])
     ORDER BY array_position($1::uuid[], i.id) LIMIT 1 FOR UPDATE OF i SKIP LOCKED`,
    [incidentIds],
  );
  return rows[0] ?? null;
}

/** The references (INC-000123) of these incidents, by id; unknown ids are absent. */
export async function incidentReferences(
  em: EntityManager,
  incidentIds: readonly string[],
): Promise<Map<string, string>> {
  if (incidentIds.length === 0) return new Map();
  const rows = await em.query<{ id: string; number: string }[]>(
    'SELECT id, number FROM incident WHERE id = ANY($1::uuid[])',
    [incidentIds],
  );
  return new Map(rows.map((r) => [r.id, formatReference(r.number)]));
}

/** Loads an incident by reference for a change, locking its row until the transaction ends; else NOT_FOUND. */
export async function lockIncident(em: EntityManager, reference: string): Promise<Incident> {
  const number = parseReference(reference);
  const incident =
    number === null
      ? null
      : await em
          .getRepository(Incident)
          .findOne({ where: { number: String(number) }, lock: { mode: 'pessimistic_write' } });
  if (!incident)
    throw new IncidentDomainError('INCIDENT.NOT_FOUND', `No incident ${reference} that you can see.`);
  await runChangeGuard(em, incident);
  return incident;
}

/** An incident's reference, status and reported time: what intake needs to pick one for a caller or texter. */
export interface IncidentGlance {
  id: string;
  reference: string;
  status: Incident['status'];
  reportedAt: Date;
}

type GlanceRow = { id: string; number: string; status: Incident['status']; reported_at: Date };
const glance = (r: GlanceRow): IncidentGlance => ({
  id: r.id,
  reference: formatReference(r.number),
  status: r.status,
  reportedAt: r.reported_at,
});

/** These incidents at a glance, in the order of the ids given; unknown ids are left out. One indexed read. */
export async function glanceIncidents(
  em: EntityManager,
  incidentIds: readonly string[],
): Promise<IncidentGlance[]> {
  if (incidentIds.length === 0) return [];
  const rows = await em.query<GlanceRow[]>(
    `SELECT id, number, status, reported_at FROM incident WHERE id = ANY($1::uuid[])
     ORDER BY array_position($1::uuid[], id)`,
    [incidentIds],
  );
  return rows.map(glance);
}

/**
 * The newest incident at the site in one of these statuses and priorities reported since `since`, at a glance; null
 * for none. One indexed read (the phone menu's known-outage question asks it of every call).
 */
export async function newestIncidentAtSite(
  em: EntityManager,
  where: { siteId: string; statuses: readonly string[]; priorities: readonly string[]; since: Date },
): Promise<IncidentGlance | null> {
  const rows = await em.query<GlanceRow[]>(
    `SELECT id, number, status, reported_at FROM incident
     WHERE site_id = $1 AND status = ANY($2::varchar[]) AND priority = ANY($3::varchar[]) AND reported_at >= $4
     ORDER BY reported_at DESC, id DESC LIMIT 1`,
    [where.siteId, where.statuses, where.priorities, where.since],
  );
  return rows[0] ? glance(rows[0]) : null;
}

/** An incident's reference and description (for a channel that adds to the description), or null. */
export async function incidentDescription(
  em: EntityManager,
  incidentId: string,
): Promise<{ reference: string; description: string } | null> {
  const rows = await em.query<{ number: string; description: string }[]>(
    'SELECT number, description FROM incident WHERE id = $1',
    [incidentId],
  );
  return rows[0] ? { reference: formatReference(rows[0].number), description: rows[0].description } : null;
}
