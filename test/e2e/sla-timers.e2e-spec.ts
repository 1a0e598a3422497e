import type { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { FixedClock } from '../../src/common/time/clock';
import { SlaJobName, SWEEP_SCHEDULER_ID, checkJobId } from '../../src/modules/sla/sla-jobs';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import {
  advanceUntil,
  at,
  flushPrefix,
  incidentIdOf,
  parkClocks,
  slaMails,
  slaQueue,
  slaTimeline,
} from '../factories/sla.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { testRedisUrl } from '../setup/test-env';

/**
 * Timers that cannot be lost. A hospital (24x7) P2 reported Monday 5 March 2012 09:00: response 30 minutes, so the
 * 75 % warning falls at 09:22:30, 90 % at 09:27 and the breach at 09:30. The desk clock is frozen; with the poll off
 * (SLA_POLL_MS=0) the only ways in are the queue's delayed jobs, the sweep job and the watchdog.
 */
const REPORTED = '2012-03-05T09:00:00.000Z';
const LEVELS = {
  75: at('2012-03-05T09:22:30Z'),
  90: at('2012-03-05T09:27:00Z'),
  100: at('2012-03-05T09:30:00Z'),
};

async function hospitalWorld(t: TestApp) {
  const trust = await createTrust(t.db);
  const site = await createSite(t.db, trust, { classCode: 'hospital' });
  const service = await createService(t.db, await createSupplier(t.db));
  return { site, service };
}

describe.each([
  ['scaled (Redis)', {}],
  ['single-server (PostgreSQL queue)', { REDIS_URL: '' }],
])('SLA timers in %s mode', (mode, env) => {
  const redis = !('REDIS_URL' in env);
  const mine: string[] = [];

  describe('with the poll off: the delayed job, the sweep and the watchdog', () => {
    const clock = new FixedClock(at(REPORTED));
    let t: TestApp;
    let agent: SignedInUser;
    let queue: Queue;

    beforeAll(async () => {
      t = await createTestApp({ clock, env: { ...env, SLA_POLL_MS: '0' } });
      agent = await signedInUser(t, 'agent');
      queue = slaQueue(t);
    });
    afterAll(async () => {
      await parkClocks(t.db, mine);
      await t.close();
    });

    /** Loses every job and the sweep scheduler: a Redis flush of this app's keys, or an obliterated PostgreSQL queue. */
    const loseTheQueue = async (): Promise<void> => {
      if (redis) expect(await flushPrefix(testRedisUrl(), t.config.env.QUEUE_PREFIX)).toBeGreaterThan(0);
      else await queue.obliterate({ force: true });
      expect(await queue.getJobScheduler(SWEEP_SCHEDULER_ID)).toBeUndefined();
    };

    it('every warning fires exactly once, through the queue, the sweep and after losing the queue twice', async () => {
      clock.set(at(REPORTED));
      const { site, service } = await hospitalWorld(t);
      const { reference } = await createIncident(
        t,
        agent.auth,
        incidentBody(site, service, { reportedAt: REPORTED }),
      );
      const id = await incidentIdOf(t.db, reference);
      mine.push(id);
      await t
        .http()
        .post(`/api/incidents/${reference}/assign`)
        .set(agent.auth)
        .send({ assigneeId: agent.user.id })
        .expect(200);

      // The next check of each target is a column; the queue only holds timers due within two minutes, so at
      // 09:00 the 09:22:30 warning has no job yet.
      const first = checkJobId(reference, 'response', LEVELS[75]);
      expect(first).toBe(`sla-${reference.replace('-', '')}-response-${LEVELS[75].getTime()}`);
      expect(await queue.getJobState(first)).toBe('unknown');
      // The sweep arms it once it is near: one delayed job with a deterministic id; the 15:00 resolution warning stays unarmed.
      clock.set(at('2012-03-05T09:21:00Z'));
      await queue.add(SlaJobName.Sweep, {}, { jobId: `manual-sweep-${randomBytes(4).toString('hex')}` });
      await waitFor(async () => (await queue.getJobState(first)) === 'delayed', 'the sweep to arm the timer');
      expect(await queue.getJobState(checkJobId(reference, 'resolution', at('2012-03-05T15:00:00Z')))).toBe(
        'unknown',
      );

      // The queue is lost 90 s before the first warning: within 5 s the watchdog restores the sweep and re-arms it.
      await loseTheQueue();
      const lostAt = Date.now();
      await waitFor(
        async () => (await queue.getJobState(first)) === 'delayed',
        'the timer to come back',
        10_000,
      );
      expect(Date.now() - lostAt).toBeLessThan(6_000);
      expect(await queue.getJobScheduler(SWEEP_SCHEDULER_ID)).toBeDefined();

      // The delayed job wakes the checker (promoted, as the frozen clock is far from the queue's real time).
      clock.set(at('2012-03-05T09:23:00Z'));
      await (await queue.getJob(first))?.promote();
      await waitFor(
        async () => ((await slaTimeline(t.db, id)).length === 1 ? true : undefined),
        'the 75 % warning',
      );
      // The next level (09:27) is four minutes away: recorded, not yet armed; a sweep within two minutes of it arms it.
      const second = checkJobId(reference, 'response', LEVELS[90]);
      expect(await queue.getJobState(second)).toBe('unknown');
      clock.set(at('2012-03-05T09:25:30Z'));
      await queue.add(SlaJobName.Sweep, {}, { jobId: `manual-sweep-${randomBytes(4).toString('hex')}` });
      await waitFor(async () => (await queue.getJobState(second)) === 'delayed', 'the 90 % timer');

      // The sweep acts on a due check directly, whatever the queue holds.
      clock.set(at('2012-03-05T09:28:00Z'));
      await queue.add(SlaJobName.Sweep, {}, { jobId: `manual-sweep-${randomBytes(4).toString('hex')}` });
      await waitFor(
        async () => ((await slaTimeline(t.db, id)).length === 2 ? true : undefined),
        'the 90 % warning',
      );

      // Lost again after the breach fell due: the watchdog's sweep acts on it.
      clock.set(at('2012-03-05T09:31:00Z'));
      await loseTheQueue();
      await waitFor(
        async () => ((await slaTimeline(t.db, id)).length === 3 ? true : undefined),
        'the breach after the second loss',
        12_000,
      );

      // A late duplicate of every timer changes nothing.
      for (const level of [LEVELS[75], LEVELS[90], LEVELS[100]]) {
        await queue.add(
          SlaJobName.Check,
          { incidentId: id, target: 'response', at: level.getTime() },
          { jobId: `dup-${level.getTime()}-${mode.length}` },
        );
      }
      await queue.add(SlaJobName.Sweep, {}, { jobId: `manual-sweep-${randomBytes(4).toString('hex')}` });
      await new Promise((r) => setTimeout(r, 1500));
      expect(await slaTimeline(t.db, id)).toEqual(['response:75', 'response:90', 'response:100']);
      expect(await slaMails(t.db, id)).toHaveLength(3);
      const lateness = await t.db.query(
        'SELECT threshold::float AS level, fired_at - due_at AS late FROM sla_event WHERE incident_id = $1 ORDER BY due_at',
        [id],
      );
      expect(lateness.map((l: { level: number }) => l.level)).toEqual([0.75, 0.9, 1]);
    });
  });

  describe('a call logged after its levels fell due', () => {
    const clock = new FixedClock(at('2012-03-05T09:40:00Z'));
    let t: TestApp;
    let agent: SignedInUser;

    beforeAll(async () => {
      t = await createTestApp({ clock, env: { ...env, SLA_POLL_MS: '200' } });
      agent = await signedInUser(t, 'agent');
    });
    afterAll(async () => {
      await parkClocks(t.db, mine);
      await t.close();
    });

    it('is created with its clocks due for a check now, and every level already reached is announced once', async () => {
      const { site, service } = await hospitalWorld(t);
      // Logged at 09:40 for a fault reported at 09:00: the 30-minute response target fell due at 09:30.
      const { reference, sla } = (await createIncident(
        t,
        agent.auth,
        incidentBody(site, service, { reportedAt: REPORTED }),
      )) as { reference: string; sla: { response: { breached: boolean } } };
      const id = await incidentIdOf(t.db, reference);
      mine.push(id);
      expect(sla.response.breached).toBe(true);
      await waitFor(
        async () => ((await slaTimeline(t.db, id)).length === 3 ? true : undefined),
        'the levels reached before the incident was logged',
      );
      await new Promise((r) => setTimeout(r, 1000));
      expect(await slaTimeline(t.db, id)).toEqual(['response:75', 'response:90', 'response:100']);
      // Announced, the response clock has nothing left to check; resolution's next check is its first warning.
      const clocks: { target: string; next: Date | null }[] = await t.db.query(
        'SELECT target, next_check_at AS next FROM incident_sla WHERE incident_id = $1 ORDER BY target',
        [id],
      );
      expect(
        clocks.map((c) => [c.target, c.next && c.next.getTime() > at('2012-03-05T09:40:00Z').getTime()]),
      ).toEqual([
        ['resolution', true],
        ['response', null],
      ]);
    });
  });

  describe('two worker processes on one database and queue', () => {
    const clock = new FixedClock(at(REPORTED));
    let a: TestApp;
    let b: TestApp;
    let agent: SignedInUser;

    beforeAll(async () => {
      const prefix = `t${randomBytes(4).toString('hex')}`;
      a = await createTestApp({
        clock,
        env: { ...env, QUEUE_PREFIX: prefix, SLA_POLL_MS: '200', SLA_QUEUE_TIMERS: 'on' },
      });
      b = await createTestApp({
        clock,
        env: { ...env, QUEUE_PREFIX: prefix, SLA_POLL_MS: '200', SLA_QUEUE_TIMERS: 'on' },
      });
      agent = await signedInUser(a, 'agent');
      // Two desks on BullMQ's PostgreSQL backend: each starts every queue's pools (escalation adds one per
      // supplier), which took over 30 s on a busy machine in the full suite.
    }, 90_000);
    afterAll(async () => {
      await parkClocks(a.db, mine);
      await Promise.all([a.close(), b.close()]);
    });

    it('race for every level and still announce each once', async () => {
      clock.set(at(REPORTED));
      const { site, service } = await hospitalWorld(a);
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const { reference } = await createIncident(
          i % 2 ? a : b,
          agent.auth,
          incidentBody(site, service, { reportedAt: REPORTED }),
        );
        ids.push(await incidentIdOf(a.db, reference));
        await (i % 2 ? b : a)
          .http()
          .post(`/api/incidents/${reference}/assign`)
          .set(agent.auth)
          .send({ assigneeId: agent.user.id })
          .expect(200);
      }
      mine.push(...ids);
      const queues = [slaQueue(a), slaQueue(b)];
      for (const [count, level] of [
        [1, LEVELS[75]],
        [2, LEVELS[90]],
        [3, LEVELS[100]],
      ] as const) {
        // A minute before: the sweep arms a delayed check per incident (one job each, however many sweeps run).
        clock.set(new Date(level.getTime() - 60_000));
        await Promise.all(
          queues.map((q) =>
            q.add(SlaJobName.Sweep, {}, { jobId: `arm-${count}-${randomBytes(4).toString('hex')}` }),
          ),
        );
        await waitFor(
          async () =>
            (await queues[0].getDelayed()).filter(
              (j) => j.name === String(SlaJobName.Check) && j.data.at === level.getTime(),
            ).length === ids.length
              ? true
              : undefined,
          'the timers to be armed',
        );
        clock.set(new Date(level.getTime() + 1000));
        // Both pollers, every delayed job and a sweep in each process, all at once.
        const delayed = await queues[0].getDelayed();
        await Promise.all([
          ...delayed.map((j) => j.promote().catch(() => undefined)),
          ...queues.map((q) =>
            q.add(SlaJobName.Sweep, {}, { jobId: `race-${count}-${randomBytes(4).toString('hex')}` }),
          ),
        ]);
        for (const id of ids)
          await advanceUntil(
            clock,
            new Date(level.getTime() + 1000),
            a.db,
            id,
            count,
            `level ${count} of ${id}`,
          );
      }
      await new Promise((r) => setTimeout(r, 1500));
      for (const id of ids) {
        expect(await slaTimeline(a.db, id)).toEqual(['response:75', 'response:90', 'response:100']);
        expect(await slaMails(a.db, id)).toHaveLength(3);
      }
      const [{ n }] = await a.db.query(
        'SELECT count(*)::int AS n FROM sla_event WHERE incident_id = ANY($1::uuid[])',
        [ids],
      );
      expect(n).toBe(18);
    });
  });
});
