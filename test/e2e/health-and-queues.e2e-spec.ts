import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { AUTO_CLOSE_JOB } from '../../src/modules/incidents/incident-workflow.service';
import { QueueName } from '../../src/queue/queue-names';
import { signedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** The same code on both queue backends: Redis (scaled) and BullMQ's PostgreSQL backend (single server). */
describe.each([
  ['scaled', {}],
  ['single-server', { REDIS_URL: '' }],
])('health and queues in %s mode', (mode, env) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env });
  });
  afterAll(() => t.close());

  it('reports the mode and answers /health/details 200 with the database and every queue up', async () => {
    expect(t.config.mode).toBe(mode);
    const manager = await signedInUser(t, 'desk_manager');
    const res = await t.http().get('/health/details').set(manager.auth).expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      mode,
      info: { database: { status: 'up' }, queue: { status: 'up' } },
    });
    expect(Object.keys(res.body.info.queue.queues).sort()).toEqual(Object.values(QueueName).sort());
  });

  it("runs a job through the app's own worker on this backend (auto-close of an unknown incident is a no-op)", async () => {
    const queue = t.app.get<Queue>(getQueueToken(QueueName.IncidentLifecycle));
    const job = await queue.add(
      AUTO_CLOSE_JOB,
      { incidentId: randomUUID() },
      { jobId: `probe-${mode}-${randomUUID()}` },
    );
    const state = await waitFor(async () => {
      const s = await job.getState();
      return s === 'completed' || s === 'failed' ? s : undefined;
    }, 'the probe job to finish');
    expect(state).toBe('completed');
    expect((await queue.getJob(job.id as string))?.returnvalue).toBe(false);
  });

  it('serves the OpenAPI document with the endpoints', async () => {
    const res = await t.http().get('/api/docs/openapi.json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/sites', '/api/trusts', '/api/users', '/health']),
    );
  });

  it('sets security headers (helmet) and hides the framework', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
