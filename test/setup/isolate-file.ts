import { Client } from 'pg';
import { testDatabaseUrl } from './test-env';

/**
 * Each e2e file starts with no timer left by the files before it. The files share one database and run one after
 * another, and every desk a file starts runs the SLA and supplier-contract checks over the whole database: the
 * earlier files' incidents, whose warnings fall due in real time (or all at once under a file's frozen clock set
 * in the future), would otherwise send warnings and mails in the middle of a later file, changing the row counts
 * it compares and queueing hundreds of mails ahead of the one it waits for. Parking those checks changes nothing
 * an earlier file asserts: it has finished.
 */
beforeAll(async () => {
  const db = new Client({ connectionString: testDatabaseUrl() });
  await db.connect();
  try {
    await db.query('UPDATE incident_sla SET next_check_at = NULL WHERE next_check_at IS NOT NULL');
    await db.query('UPDATE supplier_clock SET next_check_at = NULL WHERE next_check_at IS NOT NULL');
  } finally {
    await db.end();
  }
});
