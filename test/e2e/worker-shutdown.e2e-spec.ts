import { Queue, type Job } from 'bullmq';
import { Client } from 'pg';
import { SlaJobName } from '../../src/modules/sla/sla-jobs';
import { SlaProcessor } from '../../src/modules/sla/sla.processor';
import { queueRootOptions } from '../../src/queue/queue-connection';
import { QueueName } from '../../src/queue/queue-names';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { incidentIdOf, parkClocks, slaQueue } from '../factories/sla.factory';
import { signedInUser } from '../factories/user.factory';
import { createTestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { testDatabaseUrl } from '../setup/test-env';

/**
 * Shutdown with a job that does not return: an SLA check waits on an incident row that another connection holds.
 * The worker gets SHUTDOWN_GRACE_MS to finish, then closes anyway, leaving the job to the stalled-job check
 * rather than keeping the process (and its lock renewals) alive.
 */
describe.each([
  ['scaled (Redis)', {}],
  ['single-server (PostgreSQL queue)', { REDIS_URL: '' }],
])('Worker shutdown in %s mode', (_mode, env) => {
  it('closes the worker after the grace period while a job is still blocked, and leaves that job unfinished', async () => {
    const t = await createTestApp({ env: { ...env, SLA_POLL_MS: '0', SHUTDOWN_GRACE_MS: '300' } });
    const holder = new Client({ connectionString: testDatabaseUrl() });
    // Our own handle on the queue: the app's closes with the app.
    const observer = new Queue(QueueName.Sla, queueRootOptions(t.config));
    let id = '';
    try {
      const agent = await signedInUser(t, 'agent');
      const site = await createSite(t.db, await createTrust(t.db), { classCode: 'hospital' });
      const service = await createService(t.db, await createSupplier(t.db));
      id = await incidentIdOf(
        t.db,
        (await createIncident(t, agent.auth, incidentBody(site, service))).reference,
      );

      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM incident WHERE id = $1 FOR UPDATE', [id]);
      const job: Job = await slaQueue(t).add(
        SlaJobName.Check,
        { incidentId: id, target: 'response', at: Date.now() },
        { jobId: `blocked-${id}` },
      );
      await waitFor(
        async () => (await observer.getJobState(job.id!)) === 'active',
        'the check to start and block on the row',
      );

      let workerClosed = false;
      t.app.get(SlaProcessor).worker.once('closed', () => (workerClosed = true));
      const closing = t.close();
      await waitFor(
        () => Promise.resolve(workerClosed),
        'the worker to close while its job is blocked',
        10_000,
      );
      expect(await observer.getJobState(job.id!)).toBe('active');
      await holder.query('ROLLBACK');
      await closing;
    } finally {
      await holder.end().catch(() => undefined);
      await observer.close();
    }
    // The app is closed; a fresh one parks the clocks so no later test's poll picks this incident up.
    const cleanup = await createTestApp({ env: { SLA_POLL_MS: '0' }, role: 'api' });
    await parkClocks(cleanup.db, [id]);
    await cleanup.close();
  });
});
