import type { EntityManager } from 'typeorm';
import { OPEN_ESCALATION_STATUSES_SQL } from './domain/escalation-status';

/** What other modules read of escalations, as functions and fragments (the tables are this module's). */

/** SQL (text[] or null) of the email addresses of the suppliers the incident aliased `incident` was escalated to. */
export function supplierEmailsSql(incident: string): string {
  return `(SELECT array_agg(DISTINCT a.email) FROM escalation e JOIN supplier s ON s.id = e.supplier_id,
      LATERAL (VALUES (s.email), (s.escalation_email)) a(email) WHERE e.incident_id = ${incident}.id AND a.email IS NOT NULL)`;
}

/** A supplier's stored reference pattern (null: none set) and the addresses its mail comes from. */
export interface StoredSupplierPattern {
  supplierCode: string;
  pattern: string | null;
  /** The supplier's contact and escalation addresses, lower case. */
  addresses: string[];
}

/**
 * Every supplier's `referencePattern` (set through PATCH /api/suppliers/{code}) with its addresses, for email intake
 * to thread a supplier's reply by the supplier's own reference. Read on each call: a change applies to the next mail.
 */
export async function supplierReferencePatterns(em: EntityManager): Promise<StoredSupplierPattern[]> {
  return em.query(
    `SELECT s.code AS "supplierCode", s.reference_pattern AS pattern,
        array_remove(ARRAY[lower(s.email), lower(s.escalation_email)], NULL) AS addresses
       FROM supplier s ORDER BY s.code`,
  );
}

/** Escalations whose supplier reference is one of these (compared case-insensitively), with the supplier's code. */
export async function escalationsBySupplierReference(
  em: EntityManager,
  references: readonly string[],
): Promise<{ supplierCode: string; supplierReference: string; incidentId: string }[]> {
  if (references.length === 0) return [];
  return em.query(
    `SELECT s.code AS "supplierCode", e.supplier_reference AS "supplierReference", e.incident_id AS "incidentId"
       FROM escalation e JOIN supplier s ON s.id = e.supplier_id WHERE lower(e.supplier_reference) = ANY($1)`,
    [references.map((r) => r.toLowerCase())],
  );
}

/**
 * Who held an incident's clock because of a supplier, for reports: one row per escalation, from when it was made
 * until the supplier handed the incident back (resolved, cancelled or failed) or, while it is open, null.
 * Columns: incident_id uuid, escalation_id uuid, supplier_code text, held_from timestamptz, held_until timestamptz.
 */
export function supplierHoldsSql(): string {
  return `SELECT e.incident_id, e.id AS escalation_id, s.code AS supplier_code, e.created_at AS held_from,
      CASE WHEN e.status IN (${OPEN_ESCALATION_STATUSES_SQL}) THEN NULL
           ELSE COALESCE(e.ended_at, e.resolved_at, e.created_at) END AS held_until
    FROM escalation e JOIN supplier s ON s.id = e.supplier_id`;
}

/**
 * The suppliers' contract clocks, for reports: one row per escalation and target (an escalation to a supplier
 * without contract targets for the incident's priority has none), read by escalation_id (the key's first column)
 * with the escalation's supplier taken from supplierHoldsSql.
 * Columns: escalation_id uuid, priority text (the incident's when the clock started), target text ('acknowledge'
 * or 'fix'), started_at timestamptz, due_at timestamptz, met_at timestamptz (null until met), breached boolean
 * (true once the clock passed its due time unmet; a clock met late is breached too).
 */
export function supplierClocksSql(): string {
  return `SELECT c.escalation_id, c.priority::text AS priority, c.target::text AS target, c.started_at, c.due_at,
      c.met_at, (c.breached_at IS NOT NULL OR (c.met_at IS NOT NULL AND c.met_at > c.due_at)) AS breached
    FROM supplier_clock c`;
}

/** SQL (boolean) that the incident aliased `incident` has an open escalation (a supplier holds it). */
export function openEscalationSql(incident: string): string {
  return `EXISTS (SELECT 1 FROM escalation oe WHERE oe.incident_id = ${incident}.id AND oe.status IN (${OPEN_ESCALATION_STATUSES_SQL}))`;
}

/**
 * The names of the suppliers holding each incident, by incident number, through an open escalation (incidents with
 * none are left out).
 */
export async function openEscalationSuppliers(
  em: EntityManager,
  incidentNumbers: readonly number[],
): Promise<Map<number, string[]>> {
  if (incidentNumbers.length === 0) return new Map();
  const rows = await em.query<{ number: string | number; names: string[] }[]>(
    `SELECT i.number, array_agg(DISTINCT s.name ORDER BY s.name) AS names
       FROM escalation e JOIN supplier s ON s.id = e.supplier_id JOIN incident i ON i.id = e.incident_id
      WHERE i.number = ANY($1::bigint[]) AND e.status IN (${OPEN_ESCALATION_STATUSES_SQL}) GROUP BY i.number`,
    [incidentNumbers],
  );
  return new Map(rows.map((r) => [Number(r.number), r.names]));
}
