import { FixedClock } from '../../src/common/time/clock';
import { defaultSlaTargets } from '../../src/modules/sla/domain/sla-targets';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { at, incidentIdOf, parkClocks, slaOf, slaTimeline } from '../factories/sla.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { fakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

describe('SLA admin API, filter and texts', () => {
  const clock = new FixedClock(at('2029-06-25T09:00:00Z'));
  const mine: string[] = [];
  let t: TestApp;
  let twilio: FakeTwilio;
  let agent: SignedInUser;
  let manager: SignedInUser;

  beforeAll(async () => {
    twilio = await fakeTwilio();
    t = await createTestApp({
      clock,
      env: {
        ON_CALL_SMS_NUMBERS: '+447700900001, +447700900002',
        TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
        TWILIO_AUTH_TOKEN: 'test-token',
        TWILIO_FROM_NUMBER: '+447700900999',
        TWILIO_API_BASE_URL: twilio.base,
      },
    });
    agent = await signedInUser(t, 'agent');
    manager = await signedInUser(t, 'desk_manager');
  });
  afterAll(async () => {
    await parkClocks(t.db, mine);
    await t.close();
    await new Promise((r) => twilio.server.close(r));
  });

  const world = async (classCode: 'prison' | 'community_health' | 'hospital' = 'community_health') => {
    const trust = await createTrust(t.db);
    const site = await createSite(t.db, trust, { classCode });
    const service = await createService(t.db, await createSupplier(t.db));
    return { trust, site, service };
  };
  const created = async (
    body: ReturnType<typeof incidentBody>,
  ): Promise<{ reference: string; id: string }> => {
    const { reference } = await createIncident(t, agent.auth, body);
    const id = await incidentIdOf(t.db, reference);
    mine.push(id);
    return { reference, id };
  };

  it('serves the seeded policies (the domain defaults) to readers; only managers may change them', async () => {
    const res = await t.http().get('/api/sla/policies').set(agent.auth).expect(200);
    const got = res.body.items.map(
      (p: {
        siteClass: string;
        priority: string;
        calendar: string;
        responseMinutes: number;
        resolutionMinutes: number;
      }) => ({
        siteClass: p.siteClass,
        priority: p.priority,
        calendarCode: p.calendar,
        responseMinutes: p.responseMinutes,
        resolutionMinutes: p.resolutionMinutes,
      }),
    );
    expect(got).toEqual(expect.arrayContaining(defaultSlaTargets()));
    expect(res.body).toMatchObject({ nextCursor: null });
    expect(
      res.body.items.find(
        (p: { priority: string; siteClass: string }) =>
          p.siteClass === 'community_health' && p.priority === 'P2',
      ),
    ).toMatchObject({ calendar: 'gp_core', calendarFromSiteClass: true });
    const body = {
      policies: [{ siteClass: 'prison', priority: 'P3', responseMinutes: 60, resolutionMinutes: 600 }],
    };
    await t.http().put('/api/sla/policies').set(agent.auth).send(body).expect(403);
    const bad = await t
      .http()
      .put('/api/sla/policies')
      .set(manager.auth)
      .send({
        policies: [
          {
            siteClass: 'prison',
            priority: 'P3',
            calendar: 'nope',
            responseMinutes: 60,
            resolutionMinutes: 600,
          },
        ],
      })
      .expect(422);
    expect(bad.body).toMatchObject({ error: 'SLA.UNKNOWN_CALENDAR', field: 'policies.calendar' });
    const invalid = await t
      .http()
      .put('/api/sla/policies')
      .set(manager.auth)
      .send({ policies: [{ siteClass: 'jail', priority: 'P3', responseMinutes: 0, resolutionMinutes: 600 }] })
      .expect(400);
    expect(invalid.body.error).toBe('REQUEST.VALIDATION_FAILED');
  });

  it('a policy change applies to new incidents; an existing one keeps its terms until recalculated, with history', async () => {
    clock.set(at('2029-06-25T09:00:00Z'));
    const { site, service } = await world('prison');
    const before = await created(incidentBody(site, service, { urgency: 'medium' }));
    expect((await slaOf(t, agent.auth, before.reference)).resolution).toMatchObject({
      calendar: '24x7',
      targetMinutes: 4320,
    });
    try {
      await t
        .http()
        .put('/api/sla/policies')
        .set(manager.auth)
        .send({
          policies: [
            {
              siteClass: 'prison',
              priority: 'P3',
              calendar: 'office',
              responseMinutes: 60,
              resolutionMinutes: 600,
            },
          ],
          reason: 'test',
        })
        .expect(200);
      const after = await created(incidentBody(site, service, { urgency: 'medium' }));
      expect((await slaOf(t, agent.auth, after.reference)).resolution).toMatchObject({
        calendar: 'office',
        targetMinutes: 600,
      });
      expect((await slaOf(t, agent.auth, before.reference)).resolution).toMatchObject({
        calendar: '24x7',
        targetMinutes: 4320,
      });

      await t.http().post(`/api/incidents/${before.reference}/sla/recalculate`).set(agent.auth).expect(403);
      const recalculated = await t
        .http()
        .post(`/api/incidents/${before.reference}/sla/recalculate`)
        .set(manager.auth)
        .expect(200);
      // Logged Mon 25 June 2029 10:00 BST: 420 office minutes on Monday, then Tue 09:00 + 180 = 12:00 BST (11:00Z).
      expect(recalculated.body.sla.resolution).toMatchObject({
        calendar: 'office',
        targetMinutes: 600,
        dueAt: '2029-06-26T11:00:00.000Z',
      });
      const timeline = await t
        .http()
        .get(`/api/incidents/${before.reference}/timeline`)
        .set(manager.auth)
        .expect(200);
      expect(
        timeline.body.items.filter((e: { event: string }) => e.event === 'sla_recalculated'),
      ).toMatchObject([{ data: { reason: 'recalculated', calendar: 'office' } }]);
      const history = await t
        .http()
        .get('/api/sla/policies/history')
        .query({ siteClass: 'prison', priority: 'P3' })
        .set(agent.auth)
        .expect(200);
      expect(history.body.items.slice(0, 2)).toMatchObject([
        {
          calendar: 'office',
          responseMinutes: 60,
          resolutionMinutes: 600,
          reason: 'test',
          changedBy: manager.user.email,
        },
        { calendar: null, responseMinutes: 120, resolutionMinutes: 4320 },
      ]);
    } finally {
      await t
        .http()
        .put('/api/sla/policies')
        .set(manager.auth)
        .send({
          policies: [
            {
              siteClass: 'prison',
              priority: 'P3',
              calendar: null,
              responseMinutes: 120,
              resolutionMinutes: 4320,
            },
          ],
          reason: 'restore',
        })
        .expect(200);
    }
  });

  it('edits calendars (validated) and bank-holiday overrides, and running clocks follow a holiday change', async () => {
    const calendars = await t.http().get('/api/sla/calendars').set(agent.auth).expect(200);
    expect(
      calendars.body.items.map((c: { code: string; minutesPerDay: number }) => [c.code, c.minutesPerDay]),
    ).toEqual(
      expect.arrayContaining([
        ['24x7', 1440],
        ['gp_core', 630],
        ['office', 480],
      ]),
    );
    const week = (open: string, close: string) => ({
      1: [{ open, close }],
      2: [{ open, close }],
      3: [],
      4: [],
      5: [],
      6: [],
      7: [],
    });
    const code = `t${Date.now().toString(36)}`;
    await t
      .http()
      .put(`/api/sla/calendars/${code}`)
      .set(manager.auth)
      .send({ name: 'Two days a week', week: week('07:00', '20:00'), bankHolidays: true })
      .expect(200);
    const overlap = await t
      .http()
      .put(`/api/sla/calendars/${code}`)
      .set(manager.auth)
      .send({
        name: 'x',
        week: {
          ...week('07:00', '20:00'),
          3: [
            { open: '08:00', close: '12:00' },
            { open: '11:00', close: '13:00' },
          ],
        },
        bankHolidays: true,
      })
      .expect(422);
    expect(overlap.body).toMatchObject({ error: 'SLA.INVALID_CALENDAR' });
    expect(overlap.body.problems.join(' ')).toMatch(/overlapping/);
    const never = await t
      .http()
      .put(`/api/sla/calendars/${code}`)
      .set(manager.auth)
      .send({ name: 'x', week: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] }, bankHolidays: false })
      .expect(422);
    expect(never.body.error).toBe('SLA.CALENDAR_NEVER_OPENS');

    const y2012 = await t.http().get('/api/sla/holidays').query({ year: 2012 }).set(agent.auth).expect(200);
    expect(y2012.body.items.map((h: { date: string }) => h.date)).toEqual(
      expect.arrayContaining(['2012-06-04', '2012-06-05']),
    );
    expect(y2012.body.items.map((h: { date: string }) => h.date)).not.toContain('2012-05-28');

    // A P3 at a gp_core site logged Fri 29 June 2029 09:00 BST: 1890 minutes = 570 Fri + 630 Mon + 630 Tue + 60,
    // due Wed 4 July 09:00 BST; with Monday 2 July a holiday, Thu 5 July 09:00 BST.
    clock.set(at('2029-06-29T08:00:00Z'));
    const { site, service } = await world();
    const { reference } = await created(incidentBody(site, service, { urgency: 'medium' }));
    expect((await slaOf(t, agent.auth, reference)).resolution.dueAt).toBe('2029-07-04T08:00:00.000Z');
    try {
      const put = await t
        .http()
        .put('/api/sla/holidays/overrides/2029-07-02')
        .set(manager.auth)
        .send({ action: 'add', name: 'A special bank holiday' })
        .expect(200);
      expect(put.body).toMatchObject({ date: '2029-07-02', action: 'add', changedBy: manager.user.email });
      const y2029 = await t.http().get('/api/sla/holidays').query({ year: 2029 }).set(agent.auth).expect(200);
      expect(y2029.body.items).toEqual(
        expect.arrayContaining([{ date: '2029-07-02', name: 'A special bank holiday', source: 'override' }]),
      );
      // The poll re-checks the running clock at once: a day later.
      await waitFor(
        async () =>
          (await slaOf(t, agent.auth, reference)).resolution.dueAt === '2029-07-05T08:00:00.000Z'
            ? true
            : undefined,
        'the due time to move',
      );
    } finally {
      await t.http().delete('/api/sla/holidays/overrides/2029-07-02').set(manager.auth).expect(204);
    }
    await waitFor(
      async () =>
        (await slaOf(t, agent.auth, reference)).resolution.dueAt === '2029-07-04T08:00:00.000Z'
          ? true
          : undefined,
      'the due time to move back',
    );
    const gone = await t
      .http()
      .delete('/api/sla/holidays/overrides/2029-07-02')
      .set(manager.auth)
      .expect(404);
    expect(gone.body.error).toBe('SLA.OVERRIDE_NOT_FOUND');
  });

  it("lists what will breach within N business minutes, within the caller's scope", async () => {
    clock.set(at('2029-07-09T08:00:00Z')); // Monday 09:00 BST
    const mineWorld = await world('hospital');
    const otherWorld = await world('hospital');
    // Hospital P2: response 30 minutes (24x7). Reported 25, 10 and 0 minutes ago; and one at another trust.
    const soon = await created(
      incidentBody(mineWorld.site, mineWorld.service, { reportedAt: '2029-07-09T07:35:00Z' }),
    );
    const later = await created(
      incidentBody(mineWorld.site, mineWorld.service, { reportedAt: '2029-07-09T07:50:00Z' }),
    );
    const fresh = await created(incidentBody(mineWorld.site, mineWorld.service));
    const elsewhere = await created(
      incidentBody(otherWorld.site, otherWorld.service, { reportedAt: '2029-07-09T07:35:00Z' }),
    );
    const refs = async (auth: { Authorization: string }, sla: string): Promise<string[]> =>
      (await t.http().get('/api/incidents').query({ sla, limit: 500 }).set(auth).expect(200)).body.items
        .map((i: { reference: string }) => i.reference)
        .filter((r: string) => [soon, later, fresh, elsewhere].some((x) => x.reference === r))
        .sort();
    expect(await refs(agent.auth, 'breaching_within:10')).toEqual(
      [soon.reference, elsewhere.reference].sort(),
    );
    expect(await refs(agent.auth, 'breaching_within:25')).toEqual(
      [soon.reference, later.reference, elsewhere.reference].sort(),
    );
    const trustManager = await signedInUser(t, 'trust_manager', { trustId: mineWorld.trust.id });
    expect(await refs(trustManager.auth, 'breaching_within:25')).toEqual(
      [soon.reference, later.reference].sort(),
    );
    // Waiting for the caller: paused, so it will not breach.
    await t
      .http()
      .post(`/api/incidents/${soon.reference}/transitions`)
      .set(agent.auth)
      .send({ to: 'awaiting_caller' })
      .expect(200);
    expect(await refs(agent.auth, 'breaching_within:10')).toEqual([elsewhere.reference]);
    const bad = await t
      .http()
      .get('/api/incidents')
      .query({ sla: 'breaching_within:soon' })
      .set(agent.auth)
      .expect(400);
    expect(bad.body.error).toBe('REQUEST.VALIDATION_FAILED');
    expect(fresh.reference).toBeTruthy();
  });

  it('texts the on-call list for a P1 warning through Twilio (a local fake), once per number', async () => {
    clock.set(at('2029-07-10T10:00:00Z'));
    const { site, service } = await world('hospital');
    const { reference, id } = await created(
      incidentBody(site, service, { impact: 'site_down', urgency: 'high' }),
    );
    expect((await slaOf(t, agent.auth, reference)).response).toMatchObject({
      targetMinutes: 15,
      calendar: '24x7',
    });
    clock.set(at('2029-07-10T10:12:00Z')); // 75 % of 15 minutes = 11:15
    await waitFor(
      async () => ((await slaTimeline(t.db, id)).length === 1 ? true : undefined),
      'the P1 warning',
    );
    const rows = await waitFor(async () => {
      const r = await t.db.query(
        'SELECT to_number, status, provider_id, body FROM outbound_sms WHERE incident_id = $1 ORDER BY to_number',
        [id],
      );
      return r.length === 2 && r.every((x: { status: string }) => x.status === 'sent') ? r : undefined;
    }, 'both texts sent');
    expect(rows.map((r: { to_number: string }) => r.to_number)).toEqual(['+447700900001', '+447700900002']);
    expect(rows[0].provider_id).toMatch(/^SM\d{32}$/);
    const sent = twilio.texts.filter((x) => x.Body.includes(reference));
    expect(sent.map((x) => x.To).sort()).toEqual(['+447700900001', '+447700900002']);
    expect(sent[0]).toMatchObject({ From: '+447700900999' });
    expect(sent[0].Body).toContain('P1 first response 75% used');
  });

  it('reopening resumes the resolution clock where it stopped; an internal note does not meet the response', async () => {
    clock.set(at('2029-07-11T08:00:00Z'));
    const { site, service } = await world('hospital');
    const { reference } = await created(incidentBody(site, service));
    await t
      .http()
      .post(`/api/incidents/${reference}/notes`)
      .set(agent.auth)
      .send({ body: 'Internal only' })
      .expect(201);
    expect((await slaOf(t, agent.auth, reference)).response.metAt).toBeNull();
    clock.set(at('2029-07-11T09:00:00Z'));
    await t
      .http()
      .post(`/api/incidents/${reference}/transitions`)
      .set(agent.auth)
      .send({ to: 'resolved', resolution: { code: 'fixed', notes: 'done' } })
      .expect(200);
    const resolved = await slaOf(t, agent.auth, reference);
    expect(resolved.resolution).toMatchObject({
      metAt: '2029-07-11T09:00:00.000Z',
      stopped: true,
      remainingMinutes: 420,
    });
    expect(resolved.response).toMatchObject({ metAt: '2029-07-11T09:00:00.000Z', breached: true }); // no reply: met by the resolution, late
    clock.set(at('2029-07-11T12:00:00Z'));
    await t
      .http()
      .post(`/api/incidents/${reference}/transitions`)
      .set(agent.auth)
      .send({ to: 'in_progress' })
      .expect(200);
    // 60 minutes used before resolving; 3 hours resolved do not count: due 7 hours after the reopen.
    expect((await slaOf(t, agent.auth, reference)).resolution).toMatchObject({
      metAt: null,
      stopped: false,
      remainingMinutes: 420,
      dueAt: '2029-07-11T19:00:00.000Z',
    });
  });
});
