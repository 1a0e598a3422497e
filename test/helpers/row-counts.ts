import type { DataSource } from 'typeorm';

/**
 * What "nothing saved" checks count, by kind. Timeline entries and outbound mail leave out the SLA engine's
 * warnings and breaches (the entries and their mails to every desk manager): they come from any running clock in
 * the shared test database as it falls due, whatever the request under test did.
 */
const COUNTS = {
  incidents: 'SELECT count(*) FROM incident',
  events: "SELECT count(*) FROM incident_event WHERE event_type NOT IN ('sla_warning', 'sla_breached')",
  audit: 'SELECT count(*) FROM audit_entry',
  outbound: "SELECT count(*) FROM outbound_message WHERE template NOT IN ('sla-warning', 'sla-breach-trust')",
  contacts: 'SELECT count(*) FROM contact',
  attachments: 'SELECT count(*) FROM attachment',
  users: 'SELECT count(*) FROM app_user',
  trusts: 'SELECT count(*) FROM trust',
  sites: 'SELECT count(*) FROM site',
  services: 'SELECT count(*) FROM service',
  suppliers: 'SELECT count(*) FROM supplier',
} as const;

export type RowKind = keyof typeof COUNTS;

/** The rows of each kind, in one statement: `{kind: n}`. */
export async function rowCounts(db: DataSource, kinds: readonly RowKind[]): Promise<Record<string, number>> {
  const [row] = await db.query<Record<string, number>[]>(
    `SELECT ${kinds.map((k) => `(${COUNTS[k]})::int AS ${k}`).join(', ')}`,
  );
  return row;
}
