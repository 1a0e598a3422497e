import { Client } from 'pg';
import { testDatabaseUrl } from './test-env';

/**
 * Each e2e file starts with no timer left by the files before it. The files share one database and run one after
 * another, and every desk a file starts runs the SLA and supplier-contract checks over the whole database: the
 * earlier files' incidents, whose warnings fall due in real time (or all at once under a file's frozen clock set
 * in the future), would otherwise send warnings and mails in the middle of a later file, changing the row counts
 * it compares and queueing hundreds of mails ahead of the one it waits for. Parking those checks changes nothing
 * an earlier file asserts: it has finished.
 *
 * Parking alone is not enough: a change to a calendar (a bank holiday added in sla-admin) re-checks every running
 * clock on it, which would wake the earlier files' clocks again. So their running clocks are stopped as well; a
 * clock that has not started yet (a file's clock set in the future) stops where it starts, so its span stays valid.
 */
beforeAll(async () => {
  const db = new Client({ connectionString: testDatabaseUrl() });
  await db.connect();
  try {
    await db.query(
      `UPDATE incident_sla
          SET next_check_at = NULL, stopped_at = coalesce(stopped_at, greatest(started_at, now()))
        WHERE next_check_at IS NOT NULL OR stopped_at IS NULL`,
    );
    await db.query('UPDATE supplier_clock SET next_check_at = NULL WHERE next_check_at IS NOT NULL');
  } finally {
    await db.end();
  }
});
