import { formatDateTime } from './london-time';

/** What the escalations panel shows of the incident JSON's `escalations` block (structural: no module import). */
export interface PanelEscalation {
  id: string;
  supplier: string;
  status: string;
  supplierReference: string | null;
  sentAt: string | null;
  clock: {
    acknowledge: { dueAt: string; metAt: string | null; breached: boolean };
    fix: { dueAt: string; metAt: string | null; breached: boolean };
  } | null;
}

const STATUS: Record<string, string> = {
  pending: 'Waiting to be delivered',
  sent: 'Delivered',
  acknowledged: 'Acknowledged',
  in_progress: 'Supplier working on it',
  resolved: 'Supplier says fixed',
  failed: 'Delivery failed',
  cancelled: 'Cancelled',
};

function clockLine(name: string, c: { dueAt: string; metAt: string | null; breached: boolean }): string {
  if (c.metAt) return `${name}: met ${formatDateTime(c.metAt)}${c.breached ? ' (late)' : ''}`;
  return `${name}: due ${formatDateTime(c.dueAt)}${c.breached ? ' (breached)' : ''}`;
}

/** The incident page's escalations panel and escalate form (desk only). */
export function escalationPanel(
  escalations: readonly PanelEscalation[],
  suppliers: readonly { code: string; name: string }[],
  form: { supplier: string; reason: string; supplierError: string | null; reasonError: string | null },
): object {
  return {
    list: escalations.map((e) => ({
      id: e.id,
      supplier: suppliers.find((s) => s.code === e.supplier)?.name ?? e.supplier.toUpperCase(),
      status: STATUS[e.status] ?? e.status,
      failed: e.status === 'failed',
      supplierReference: e.supplierReference,
      sent: e.sentAt ? formatDateTime(e.sentAt) : null,
      clocks: e.clock ? [clockLine('Acknowledge', e.clock.acknowledge), clockLine('Fix', e.clock.fix)] : [],
      breached: !!e.clock && (e.clock.acknowledge.breached || e.clock.fix.breached),
    })),
    suppliers: suppliers.map((s) => ({ value: s.code, label: s.name, selected: s.code === form.supplier })),
    ...form,
  };
}
