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
