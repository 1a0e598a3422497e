import type { IncidentStatus } from '../../incidents/domain/incident-enums';

/** Who an incident's SLA clock waits on, in words and a colour class (the queue's "clock holder" column). */
export interface ClockHolder {
  who: 'desk' | 'supplier' | 'caller';
  label: string;
  className: string;
}

const FINISHED: readonly IncidentStatus[] = ['resolved', 'closed', 'cancelled'];

/**
 * Waiting for the caller pauses the clock; a supplier holds it while an escalation is open or the desk is waiting
 * for a supplier (named when known); otherwise the desk does. A finished incident has no holder.
 */
export function clockHolder(status: IncidentStatus, suppliers: readonly string[]): ClockHolder | null {
  if (FINISHED.includes(status)) return null;
  if (status === 'awaiting_caller')
    return { who: 'caller', label: 'Caller (clock paused)', className: 'holder-caller' };
  if (suppliers.length > 0 || status === 'awaiting_supplier')
    return {
      who: 'supplier',
      label: suppliers.length > 0 ? `Supplier: ${suppliers.join(', ')}` : 'Supplier',
      className: 'holder-supplier',
    };
  return { who: 'desk', label: 'Desk', className: 'holder-desk' };
}
