import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { FixedClock } from '../../src/common/time/clock';
import { AUTO_CLOSE_JOB, LIFECYCLE_SWEEP_JOB } from '../../src/modules/incidents/incident-workflow.service';
import { QueueName } from '../../src/queue/queue-names';
import { createIncident, incidentBody, incidentWorld } from '../factories/incident.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

const HOUR = 3_600_000;

/** Auto-close after AUTO_CLOSE_MINUTES and the reopen window, with the desk's clock frozen and moved by hand. */
describe('incident lifecycle', () => {
  const clock = new FixedClock(new Date());
  let t: TestApp;
  let agent: SignedInUser;
  let queue: Queue;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { AUTO_CLOSE_MINUTES: '120', REOPEN_WINDOW_MINUTES: '60' } });
    agent = await signedInUser(t, 'agent');
    queue = t.app.get<Queue>(getQueueToken(QueueName.IncidentLifecycle));
  });
  afterAll(() => t.close());

  const resolved = async (): Promise<{ reference: string; id: string }> => {
    const { site, service } = await incidentWorld(t);
    const { reference } = await createIncident(t, agent.auth, incidentBody(site, service));
    await t
      .http()
      .post(`/api/incidents/${reference}/transitions`)
      .set(agent.auth)
      .send({ to: 'resolved', resolution: { code: 'fixed', notes: 'done' } })
      .expect(200);
    const [{ id }] = await t.db.query('SELECT id FROM incident WHERE number = $1', [
      Number(reference.slice(4)),
    ]);
    return { reference, id };
  };
  const status = async (reference: string): Promise<string> =>
    (await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200)).body.status;

  it('schedules one delayed auto-close job per resolution; run early it does nothing, run when due it closes once', async () => {
    const { reference, id } = await resolved();
    const jobs = (await queue.getDelayed()).filter(
      (j) => j.name === AUTO_CLOSE_JOB && j.data.incidentId === id,
    );
    expect(jobs).toHaveLength(1);
    expect(jobs[0].id).toMatch(new RegExp(`^close-${id}-\\d+$`));
    expect(jobs[0].opts.delay).toBe(2 * HOUR);

    await jobs[0].promote();
    await waitFor(
      async () => ((await queue.getJob(jobs[0].id as string))?.finishedOn ? true : undefined),
      'the early job',
    );
    expect(await status(reference)).toBe('resolved');

    clock.advance(2 * HOUR + 1000);
    const late = await queue.add(AUTO_CLOSE_JOB, { incidentId: id }, { jobId: `late-${id}` });
    await waitFor(async () => ((await late.getState()) === 'completed' ? true : undefined), 'the due job');
    expect(await status(reference)).toBe('closed');
    const again = await queue.add(AUTO_CLOSE_JOB, { incidentId: id }, { jobId: `again-${id}` });
    await waitFor(
      async () => ((await again.getState()) === 'completed' ? true : undefined),
      'the repeated job',
    );
    const timeline = await t.http().get(`/api/incidents/${reference}/timeline`).set(agent.auth).expect(200);
    expect(timeline.body.items.filter((e: { event: string }) => e.event === 'auto_closed')).toHaveLength(1);
  });

  it('the sweep closes what is due even when its job was lost', async () => {
    const { reference, id } = await resolved();
    for (const job of await queue.getDelayed()) if (job.data.incidentId === id) await job.remove();
    clock.advance(3 * HOUR);
    const sweep = await queue.add(LIFECYCLE_SWEEP_JOB, {}, { jobId: `sweep-${id}` });
    await waitFor(async () => ((await sweep.getState()) === 'completed' ? true : undefined), 'the sweep');
    expect(await status(reference)).toBe('closed');
  });

  it('refuses to reopen after the reopen window', async () => {
    const { reference } = await resolved();
    clock.advance(61 * 60_000);
    const res = await t
      .http()
      .post(`/api/incidents/${reference}/transitions`)
      .set(agent.auth)
      .send({ to: 'in_progress' })
      .expect(409);
    expect(res.body).toMatchObject({ error: 'INCIDENT.REOPEN_WINDOW_EXPIRED', allowed: ['closed'] });
  });
});
