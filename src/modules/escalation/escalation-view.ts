import type { EscalationDto } from './dto/escalation.dto';

/** SQL (json array, oldest first, or null) of the escalations of the incident aliased `alias`, with their clocks. */
export function escalationRowsJson(alias: string): string {
  return `(SELECT json_agg(json_build_object(
      'id', e.id, 'supplier', s.code, 'status', e.status, 'supplierReference', e.supplier_reference,
      'sentAt', e.sent_at, 'acknowledgedAt', e.acknowledged_at, 'resolvedAt', e.resolved_at,
      'clocks', (SELECT json_object_agg(c.target, json_build_object('dueAt', c.due_at, 'metAt', c.met_at,
                   'breachedAt', c.breached_at)) FROM supplier_clock c WHERE c.escalation_id = e.id))
      ORDER BY e.created_at, e.id)
    FROM escalation e JOIN supplier s ON s.id = e.supplier_id WHERE e.incident_id = ${alias}.id)`;
}

interface RawClock {
  dueAt: string;
  metAt: string | null;
  breachedAt: string | null;
}

export interface RawEscalation {
  id: string;
  supplier: string;
  status: EscalationDto['status'];
  supplierReference: string | null;
  sentAt: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  clocks: Record<string, RawClock> | null;
}

const iso = (value: string | null): string | null => (value === null ? null : new Date(value).toISOString());

function clockOf(raw: RawClock): { dueAt: string; metAt: string | null; breached: boolean } {
  return { dueAt: iso(raw.dueAt) as string, metAt: iso(raw.metAt), breached: raw.breachedAt !== null };
}

export function presentEscalation(raw: RawEscalation): EscalationDto {
  const ack = raw.clocks?.acknowledge;
  const fix = raw.clocks?.fix;
  return {
    id: raw.id,
    supplier: raw.supplier,
    status: raw.status,
    supplierReference: raw.supplierReference,
    sentAt: iso(raw.sentAt),
    acknowledgedAt: iso(raw.acknowledgedAt),
    resolvedAt: iso(raw.resolvedAt),
    clock: ack && fix ? { acknowledge: clockOf(ack), fix: clockOf(fix) } : null,
  };
}
