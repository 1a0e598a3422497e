import { Client } from 'pg';
import { OPEN_ESCALATION_STATUSES_SQL } from '../../src/modules/escalation/domain/escalation-status';
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
 *
 * The earlier files' open escalations are cancelled too. Each desk a file starts delivers every pending escalation
 * whose job it cannot see (its queues have their own prefix) to an endpoint long closed, and serves every supplier
 * with an open escalation with a worker of its own: on the PostgreSQL queue several connections each, all made while
 * the desk starts (late in a run, a desk on that queue took over 30 s to start: worker-shutdown's failures in CI).
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
    await db.query(
      `UPDATE escalation SET status = 'cancelled', ended_at = coalesce(ended_at, now())
        WHERE status IN (${OPEN_ESCALATION_STATUSES_SQL})`,
    );
  } finally {
    await db.end();
  }
});
