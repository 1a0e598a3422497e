import type { EntityManager } from 'typeorm';

/**
 * The demo directory's suppliers' underpinning-contract targets: plausible figures, ASSUMED (the real contracts
 * are not public), in business minutes on the SLA engine's calendars. P1 on 24x7 for both; lower priorities on
 * office hours (VMB's network service desk) or 24x7 (Imerja's managed infrastructure).
 */
export const DEMO_SUPPLIER_TARGETS: Readonly<
  Record<string, readonly { priority: string; calendar: string; acknowledge: number; fix: number }[]>
> = Object.freeze({
  vmb: [
    { priority: 'P1', calendar: '24x7', acknowledge: 15, fix: 240 },
    { priority: 'P2', calendar: '24x7', acknowledge: 30, fix: 480 },
    { priority: 'P3', calendar: 'office', acknowledge: 120, fix: 1440 },
    { priority: 'P4', calendar: 'office', acknowledge: 240, fix: 2400 },
  ],
  imerja: [
    { priority: 'P1', calendar: '24x7', acknowledge: 30, fix: 240 },
    { priority: 'P2', calendar: '24x7', acknowledge: 60, fix: 480 },
    { priority: 'P3', calendar: 'office', acknowledge: 240, fix: 1440 },
    { priority: 'P4', calendar: 'office', acknowledge: 480, fix: 4800 },
  ],
});

/** Loads the assumed targets for the demo suppliers that exist and have none for a priority; returns rows added. */
export async function loadDemoSupplierContracts(em: EntityManager): Promise<number> {
  let added = 0;
  for (const [code, rows] of Object.entries(DEMO_SUPPLIER_TARGETS)) {
    for (const row of rows) {
      const inserted = await em.query<unknown[]>(
        `INSERT INTO supplier_contract_target (supplier_id, priority, calendar_code, acknowledge_minutes, fix_minutes, assumed)
         SELECT s.id, $2, $3, $4, $5, true FROM supplier s WHERE s.code = $1
         ON CONFLICT DO NOTHING RETURNING supplier_id`,
        [code, row.priority, row.calendar, row.acknowledge, row.fix],
      );
      added += inserted.length;
    }
  }
  return added;
}
