import { FixedClock } from '../../src/common/time/clock';
import { createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody, incidentWorld } from '../factories/incident.factory';
import {
  advanceUntil,
  at,
  incidentIdOf,
  parkClocks,
  slaMails,
  slaOf,
  slaTimeline,
} from '../factories/sla.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The SLA clock of a real incident, end to end, on both queue backends: a community_health (gp_core) site, P3,
 * reported Friday 24 December 2010 17:00 Europe/London (GMT). The desk clock is frozen and moved by hand; the
 * workers' one-second poll acts on whatever falls due.
 */
describe.each([
  ['scaled (Redis)', {}],
  ['single-server (PostgreSQL queue)', { REDIS_URL: '' }],
])('SLA clocks in %s mode', (_mode, env) => {
  const clock = new FixedClock(at('2010-12-24T17:00:00Z'));
  const mine: string[] = [];
  let t: TestApp;
  let agent: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp({ clock, env });
    agent = await signedInUser(t, 'agent');
  });
  afterAll(async () => {
    await parkClocks(t.db, mine);
    await t.close();
  });

  const transition = (reference: string, to: string, extra: object = {}) =>
    t
      .http()
      .post(`/api/incidents/${reference}/transitions`)
      .set(agent.auth)
      .send({ to, ...extra })
      .expect(200);

  it('a P3 at a GP-core site reported Fri 24 Dec 2010 17:00 is due to be resolved Fri 31 Dec 17:00:00Z exactly', async () => {
    clock.set(at('2010-12-24T17:00:00Z'));
    const { site, service } = await incidentWorld(t);
    const created = await createIncident(
      t,
      agent.auth,
      incidentBody(site, service, { urgency: 'medium', reportedAt: '2010-12-24T17:00:00Z' }),
    );
    mine.push(await incidentIdOf(t.db, created.reference));
    expect(created).toMatchObject({ priority: 'P3', site: { class: 'community_health' } });
    expect(created.sla).toEqual({
      response: {
        dueAt: '2010-12-29T08:30:00.000Z',
        metAt: null,
        breached: false,
        breachedByMinutes: 0,
        remainingMinutes: 120,
        percentElapsed: 0,
        paused: false,
        stopped: false,
        calendar: 'gp_core',
        targetMinutes: 120,
      },
      resolution: {
        dueAt: '2010-12-31T17:00:00.000Z',
        metAt: null,
        breached: false,
        breachedByMinutes: 0,
        remainingMinutes: 1890,
        percentElapsed: 0,
        paused: false,
        stopped: false,
        calendar: 'gp_core',
        targetMinutes: 1890,
      },
    });
    // Due times are columns; the next check is the first warning (75 %): response 90 minutes = Friday 18:30.
    const stored = await t.db.query(
      'SELECT target, due_at, next_check_at FROM incident_sla WHERE incident_id = $1 ORDER BY target',
      [mine[mine.length - 1]],
    );
    expect(
      stored.map((r: { target: string; due_at: Date; next_check_at: Date }) => [
        r.target,
        r.due_at.toISOString(),
        r.next_check_at.toISOString(),
      ]),
    ).toEqual([
      ['resolution', '2010-12-31T17:00:00.000Z', '2010-12-31T09:07:30.000Z'],
      ['response', '2010-12-29T08:30:00.000Z', '2010-12-24T18:30:00.000Z'],
    ]);
    // Over Christmas the clock is closed: Monday 27 (a bank holiday) noon still shows 90 minutes used, of Friday evening.
    clock.set(at('2010-12-27T12:00:00Z'));
    const sla = await slaOf(t, agent.auth, created.reference);
    expect(sla.resolution).toMatchObject({
      remainingMinutes: 1800,
      percentElapsed: 4,
      dueAt: '2010-12-31T17:00:00.000Z',
    });
  });

  it('a desk reply meets the response; awaiting_caller pauses and moves the due time; awaiting_supplier does not', async () => {
    clock.set(at('2010-12-24T17:00:00Z'));
    const { site, service } = await incidentWorld(t);
    const { reference } = await createIncident(
      t,
      agent.auth,
      incidentBody(site, service, { urgency: 'medium', reportedAt: '2010-12-24T17:00:00Z' }),
    );
    mine.push(await incidentIdOf(t.db, reference));

    clock.set(at('2010-12-24T17:10:00Z'));
    await t
      .http()
      .post(`/api/incidents/${reference}/replies`)
      .set(agent.auth)
      .send({ body: 'We are looking at it.' })
      .expect(201);
    expect((await slaOf(t, agent.auth, reference)).response).toMatchObject({
      metAt: '2010-12-24T17:10:00.000Z',
      stopped: true,
      breached: false,
      percentElapsed: 8,
    });

    clock.set(at('2010-12-29T10:00:00Z'));
    await transition(reference, 'awaiting_caller');
    clock.set(at('2010-12-29T12:00:00Z'));
    const paused = (await slaOf(t, agent.auth, reference)).resolution;
    expect(paused).toMatchObject({
      paused: true,
      remainingMinutes: 1890 - 210,
      dueAt: '2011-01-04T08:30:00.000Z',
    });
    clock.set(at('2010-12-29T14:00:00Z'));
    await transition(reference, 'in_progress');
    // 240 business minutes paused: from Fri 31 Dec 17:00 to Tue 4 Jan 10:30 (Mon 3 Jan 2011 is the New Year substitute holiday).
    expect((await slaOf(t, agent.auth, reference)).resolution).toMatchObject({
      paused: false,
      dueAt: '2011-01-04T10:30:00.000Z',
      remainingMinutes: 1680,
    });

    clock.set(at('2010-12-30T09:00:00Z'));
    await transition(reference, 'awaiting_supplier');
    clock.set(at('2010-12-30T11:00:00Z'));
    // Still counting while the supplier works: Wed 14:00-18:30 (270) and Thu 08:00-11:00 (180) used since the pause.
    expect((await slaOf(t, agent.auth, reference)).resolution).toMatchObject({
      paused: false,
      dueAt: '2011-01-04T10:30:00.000Z',
      remainingMinutes: 1680 - 270 - 180,
    });
  });

  it('a priority change recomputes from the history, records it, and the warnings fire once each at 75, 90 and 100 %', async () => {
    clock.set(at('2010-12-24T17:00:00Z'));
    const trust = await createTrust(t.db);
    const { site, service } = await incidentWorld(t);
    await t.db.query('UPDATE site SET trust_id = $2 WHERE id = $1', [site.id, trust.id]);
    const manager = await signedInUser(t, 'trust_manager', { trustId: trust.id });
    const { reference } = await createIncident(
      t,
      agent.auth,
      incidentBody(site, service, { urgency: 'medium', reportedAt: '2010-12-24T17:00:00Z' }),
    );
    const id = await incidentIdOf(t.db, reference);
    mine.push(id);
    await t
      .http()
      .post(`/api/incidents/${reference}/assign`)
      .set(agent.auth)
      .send({ assigneeId: agent.user.id })
      .expect(200);
    await t
      .http()
      .post(`/api/incidents/${reference}/replies`)
      .set(agent.auth)
      .send({ body: 'On it.' })
      .expect(201);
    clock.set(at('2010-12-29T10:00:00Z'));
    await transition(reference, 'awaiting_caller');
    clock.set(at('2010-12-29T14:00:00Z'));
    await transition(reference, 'in_progress');

    // P2 at a gp_core site: resolution 480 business minutes. Used: Fri 90 + Wed 08:00-10:00 120 (then paused to 14:00).
    clock.set(at('2010-12-29T15:00:00Z'));
    const patched = await t
      .http()
      .patch(`/api/incidents/${reference}`)
      .set(agent.auth)
      .send({ priority: 'P2', priorityReason: 'Whole practice affected' })
      .expect(200);
    expect(patched.body.sla.resolution).toMatchObject({
      targetMinutes: 480,
      dueAt: '2010-12-29T18:30:00.000Z',
      remainingMinutes: 480 - 270,
      percentElapsed: 56,
    });
    const timeline = await t.http().get(`/api/incidents/${reference}/timeline`).set(agent.auth).expect(200);
    const recalculated = timeline.body.items.filter((e: { event: string }) => e.event === 'sla_recalculated');
    expect(recalculated).toHaveLength(1);
    expect(recalculated[0]).toMatchObject({
      author: agent.user.name,
      data: {
        reason: 'priority_changed',
        calendar: 'gp_core',
        resolution: {
          fromDueAt: '2011-01-04T10:30:00.000Z',
          toDueAt: '2010-12-29T18:30:00.000Z',
          fromMinutes: 1890,
          toMinutes: 480,
        },
      },
    });

    // 75 % = 360 minutes used at 16:30, 90 % = 432 at 17:42, 100 % = 480 at 18:30.
    expect(await advanceUntil(clock, at('2010-12-29T16:31:00Z'), t.db, id, 1, 'the 75 % warning')).toEqual([
      'resolution:75',
    ]);
    expect(await advanceUntil(clock, at('2010-12-29T17:43:00Z'), t.db, id, 2, 'the 90 % warning')).toEqual([
      'resolution:75',
      'resolution:90',
    ]);
    expect(await advanceUntil(clock, at('2010-12-29T18:31:00Z'), t.db, id, 3, 'the breach')).toEqual([
      'resolution:75',
      'resolution:90',
      'resolution:100',
    ]);
    await new Promise((r) => setTimeout(r, 2500)); // several more polls: nothing more happens
    expect(await slaTimeline(t.db, id)).toEqual(['resolution:75', 'resolution:90', 'resolution:100']);

    const events = await t.db.query(
      'SELECT target, threshold::float AS level, due_at FROM sla_event WHERE incident_id = $1 ORDER BY due_at',
      [id],
    );
    expect(
      events.map((e: { target: string; level: number; due_at: Date }) => [
        e.target,
        e.level,
        e.due_at.toISOString(),
      ]),
    ).toEqual([
      ['resolution', 0.75, '2010-12-29T16:30:00.000Z'],
      ['resolution', 0.9, '2010-12-29T17:42:00.000Z'],
      ['resolution', 1, '2010-12-29T18:30:00.000Z'],
    ]);
    // One mail per level to the assignee; the P2 breach also to the trust's manager.
    expect((await slaMails(t.db, id)).map((m) => m.to_address)).toEqual([
      agent.user.email,
      agent.user.email,
      agent.user.email,
    ]);
    expect((await slaMails(t.db, id, 'sla-breach-trust')).map((m) => m.to_address)).toEqual([
      manager.user.email,
    ]);
    // 18:31 is after hours: breached, by 0 business minutes so far; by 5 at 08:05 the next morning.
    expect((await slaOf(t, agent.auth, reference)).resolution).toMatchObject({
      breached: true,
      breachedByMinutes: 0,
      remainingMinutes: 0,
      percentElapsed: 100,
    });
    clock.set(at('2010-12-30T08:05:00Z'));
    expect((await slaOf(t, agent.auth, reference)).resolution).toMatchObject({
      breached: true,
      breachedByMinutes: 5,
      percentElapsed: 101,
    });

    // Resolving stops the clock; the breach stays on record.
    await transition(reference, 'resolved', { resolution: { code: 'fixed', notes: 'Replaced the switch' } });
    expect((await slaOf(t, agent.auth, reference)).resolution).toMatchObject({
      metAt: '2010-12-30T08:05:00.000Z',
      stopped: true,
      breached: true,
      breachedByMinutes: 5,
    });
    expect(await slaTimeline(t.db, id)).toEqual(['resolution:75', 'resolution:90', 'resolution:100']);
  });
});
