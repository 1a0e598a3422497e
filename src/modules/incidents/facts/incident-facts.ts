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
