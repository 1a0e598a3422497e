import type { EntityManager } from 'typeorm';

/** What other modules read of escalations, as functions and fragments (the tables are this module's). */

/** SQL (text[] or null) of the email addresses of the suppliers the incident aliased `incident` was escalated to. */
export function supplierEmailsSql(incident: string): string {
  return `(SELECT array_agg(s.email) FROM escalation e JOIN supplier s ON s.id = e.supplier_id WHERE e.incident_id = ${incident}.id)`;
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
 * (Until escalations record when they end, an escalation that is not open ends when it was made.)
 */
export function supplierHoldsSql(): string {
  return `SELECT e.incident_id, e.id AS escalation_id, s.code AS supplier_code, e.created_at AS held_from,
      CASE WHEN e.status = 'open' THEN NULL ELSE e.created_at END AS held_until
    FROM escalation e JOIN supplier s ON s.id = e.supplier_id`;
}

/**
 * The suppliers' contract clocks, for reports and scorecards: one row per escalation and target.
 * Columns: escalation_id uuid, incident_id uuid, supplier_code text, priority text, target text ('acknowledge' or
 * 'fix'), started_at timestamptz, due_at timestamptz, met_at timestamptz (null until met), breached boolean.
 * (Escalations have no contract clocks yet: no rows.)
 */
export function supplierClocksSql(): string {
  return `SELECT NULL::uuid AS escalation_id, NULL::uuid AS incident_id, NULL::text AS supplier_code,
      NULL::text AS priority, NULL::text AS target, NULL::timestamptz AS started_at, NULL::timestamptz AS due_at,
      NULL::timestamptz AS met_at, NULL::boolean AS breached
    WHERE false`;
}

/** SQL (boolean) that the incident aliased `incident` has an open escalation (a supplier holds it). */
export function openEscalationSql(incident: string): string {
  return `EXISTS (SELECT 1 FROM escalation oe WHERE oe.incident_id = ${incident}.id AND oe.status = 'open')`;
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
      WHERE i.number = ANY($1::bigint[]) AND e.status = 'open' GROUP BY i.number`,
    [incidentNumbers],
  );
  return new Map(rows.map((r) => [Number(r.number), r.names]));
}
