import { getQueueToken } from '@nestjs/bullmq';
import { Worker, type Queue } from 'bullmq';
import { queueRootOptions } from '../../src/queue/queue-connection';
import { QueueName } from '../../src/queue/queue-names';
import { createTestApp, type TestApp } from '../helpers/test-app';

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

  it('reports the mode and answers /health 200 with the database and every queue up', async () => {
    expect(t.config.mode).toBe(mode);
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', mode, info: { database: { status: 'up' }, queue: { status: 'up' } } });
    expect(Object.keys(res.body.info.queue.queues).sort()).toEqual(Object.values(QueueName).sort());
  });

  it('carries a job from the app\'s queue to a worker on the same backend', async () => {
    const queue = t.app.get<Queue>(getQueueToken(QueueName.IncidentLifecycle));
    const { connection, prefix } = queueRootOptions(t.config);
    const seen = new Promise<unknown>((resolve) => {
      const worker = new Worker(
        QueueName.IncidentLifecycle,
        (job) => {
          resolve(job.data);
          return Promise.resolve('done');
        },
        { connection, prefix },
      );
      afterAllClose.push(() => worker.close());
    });
    await queue.add('probe', { hello: mode }, { jobId: `probe-${mode}` });
    await expect(seen).resolves.toEqual({ hello: mode });
  });

  const afterAllClose: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(afterAllClose.map((f) => f()));
  });

  it('serves the OpenAPI document with the endpoints', async () => {
    const res = await t.http().get('/api/docs/openapi.json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/sites', '/api/trusts', '/api/users', '/health']));
  });

  it('sets security headers (helmet) and hides the framework', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
