import type { EntityManager } from 'typeorm';
import { OPEN_ESCALATION_STATUSES_SQL, type EscalationStatus } from './domain/escalation-status';

/** An escalation with what its delivery needs of the supplier. */
export interface EscalationRow {
  id: string;
  incidentId: string;
  supplierId: string;
  supplierCode: string;
  supplierName: string;
  status: EscalationStatus;
  reason: string;
  channel: string;
  round: number;
  supplierReference: string | null;
  webhookUrl: string | null;
  webhookSecret: string | null;
  escalationEmail: string | null;
}

/** The columns of EscalationRow, over `escalation e JOIN supplier s`. */
export const ESCALATION_ROW_SQL = `e.id, e.incident_id AS "incidentId", e.supplier_id AS "supplierId", s.code AS "supplierCode",
  s.name AS "supplierName", e.status, e.reason, e.channel, e.round, e.supplier_reference AS "supplierReference",
  s.webhook_url AS "webhookUrl", s.webhook_secret AS "webhookSecret", s.escalation_email AS "escalationEmail"`;

/**
 * Stores the supplier's reference the first time it arrives; that is when the handoff counts as accepted, so the
 * acknowledge clock is met then. Returns whether it was new.
 */
export async function acceptReference(
  em: EntityManager,
  escalationId: string,
  reference: string | null | undefined,
  now: Date,
): Promise<boolean> {
  if (!reference) return false;
  const set = await em.query<unknown[]>(
    `WITH set AS (UPDATE escalation SET supplier_reference = $2 WHERE id = $1 AND supplier_reference IS NULL RETURNING id)
       SELECT id FROM set`,
    [escalationId, reference],
  );
  if (set.length === 0) return false;
  await meetClock(em, escalationId, 'acknowledge', now);
  return true;
}

/** Marks a contract clock met at `now` (once; a breached clock is met late). */
export async function meetClock(
  em: EntityManager,
  escalationId: string,
  target: 'acknowledge' | 'fix',
  now: Date,
): Promise<void> {
  await em.query(
    `UPDATE supplier_clock SET met_at = $3, next_check_at = NULL
      WHERE escalation_id = $1 AND target = $2 AND met_at IS NULL`,
    [escalationId, target, now],
  );
}

/** Stops the clocks that were not met (the escalation ended without them: failed, cancelled, not ours). */
export async function stopClocks(em: EntityManager, escalationId: string): Promise<void> {
  await em.query(`UPDATE supplier_clock SET next_check_at = NULL WHERE escalation_id = $1`, [escalationId]);
}

/** Whether the incident has another escalation still open (the supplier still holds it). */
export async function otherOpenEscalations(
  em: EntityManager,
  incidentId: string,
  exceptId: string,
): Promise<boolean> {
  const rows = await em.query<unknown[]>(
    `SELECT 1 FROM escalation WHERE incident_id = $1 AND id <> $2
        AND status IN (${OPEN_ESCALATION_STATUSES_SQL}) LIMIT 1`,
    [incidentId, exceptId],
  );
  return rows.length > 0;
}
