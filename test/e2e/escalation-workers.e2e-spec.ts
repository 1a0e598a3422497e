import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { escalationQueueName } from '../../src/modules/escalation/escalation-jobs';
import { SupplierWorkers } from '../../src/modules/escalation/supplier-workers';
import { queueRootOptions } from '../../src/queue/queue-connection';
import { escalatedIncident, escalationRow, escalationWorld } from '../factories/escalation.factory';
import { signedInUser } from '../factories/user.factory';
import { fakeSupplier } from '../helpers/fake-supplier';
import { createTestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * A worker process serves a supplier (a BullMQ worker of its own) only while the supplier has an open escalation:
 * every job acts on one. Split as in production, an API process escalates and a worker process on the same queues
 * delivers; the worker process learns of the escalation at its sweep, as it learns of no other way.
 */
describe.each([
  ['scaled (Redis)', {}],
  ['single-server (PostgreSQL queue)', { REDIS_URL: '' }],
])('supplier workers in %s mode', (_mode, env) => {
  jest.setTimeout(60_000);

  it('start for a supplier once it has an open escalation, and deliver it; a supplier with nothing open has none', async () => {
    const shared = { ...env, QUEUE_PREFIX: `sw${randomBytes(4).toString('hex')}`, SLA_POLL_MS: '0' };
    const api = await createTestApp({ role: 'api', env: shared });
    const worker = await createTestApp({ role: 'worker', env: shared });
    const endpoint = await fakeSupplier({ kind: 'ok' });
    const observers: Queue[] = [];
    const workersOf = async (supplierCode: string) => {
      const queue = new Queue(escalationQueueName(supplierCode), queueRootOptions(worker.config));
      observers.push(queue);
      return (await queue.getWorkers()).length;
    };
    try {
      const agent = await signedInUser(api, 'agent');
      const busy = await escalationWorld(api, { webhookUrl: endpoint.url, webhookSecret: endpoint.secret });
      const idle = await escalationWorld(api, { webhookUrl: endpoint.url, webhookSecret: endpoint.secret });
      await worker.app.get(SupplierWorkers).sweep();
      expect(await workersOf(busy.supplier.code)).toBe(0);

      const { escalationId } = await escalatedIncident(api, agent.auth, busy);
      await worker.app.get(SupplierWorkers).sweep();
      await waitFor(
        async () => ((await escalationRow(api, escalationId)).status === 'sent' ? true : undefined),
        'the worker process to deliver the escalation',
      );
      expect(endpoint.received.map((d) => d.body.escalationId)).toEqual([escalationId]);
      expect(await workersOf(busy.supplier.code)).toBe(1);
      expect(await workersOf(idle.supplier.code)).toBe(0);
    } finally {
      await Promise.all(observers.map((q) => q.close()));
      await worker.close();
      await api.close();
      await endpoint.close();
    }
  });
});
