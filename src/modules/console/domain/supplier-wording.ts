import { formatDateTime } from './london-time';

const SUPPLIER_STATUS: Record<string, string> = {
  acknowledged: 'acknowledged',
  in_progress: 'working on it',
  engineer_dispatched: 'engineer dispatched',
  needs_info: 'needs information',
  resolved: 'says it is fixed',
  not_ours: 'says it is not theirs',
  update: 'update',
};

/** Escalation's timeline entries as one line for the desk (from the event's structured data only). */
export function supplierEventText(
  event:
    | 'escalated'
    | 'escalation_delivered'
    | 'escalation_failed'
    | 'supplier_update'
    | 'supplier_clock_warning'
    | 'supplier_clock_breached'
    | 'supplier_chased',
  d: Record<string, unknown>,
): string {
  const supplier = typeof d.supplier === 'string' ? d.supplier.toUpperCase() : 'the supplier';
  const target = d.target === 'fix' ? 'fix' : 'acknowledge';
  switch (event) {
    case 'escalated':
      return `Escalated to ${supplier}`;
    case 'escalation_delivered':
      return `Delivered to ${supplier}${typeof d.supplierReference === 'string' ? ` (their ref. ${d.supplierReference})` : ''}`;
    case 'escalation_failed':
      return `Delivery to ${supplier} failed`;
    case 'supplier_update': {
      const status = SUPPLIER_STATUS[String(d.status)] ?? 'update';
      const eta = typeof d.eta === 'string' ? `, ETA ${formatDateTime(d.eta)}` : '';
      return `${supplier}: ${status}${eta}`;
    }
    case 'supplier_clock_warning':
      return `${supplier} contract: ${target} at 75 %`;
    case 'supplier_clock_breached':
      return `${supplier} contract breached: ${target}`;
    case 'supplier_chased':
      return `${supplier} chased for an acknowledgement`;
  }
}
