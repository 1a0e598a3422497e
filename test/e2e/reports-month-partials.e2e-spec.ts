import { FixedClock } from '../../src/common/time/clock';
import type { Site } from '../../src/modules/directory/site.entity';
import type { Supplier } from '../../src/modules/directory/supplier.entity';
import type { Trust } from '../../src/modules/directory/trust.entity';
import { shapeSlaReport } from '../../src/modules/reporting/domain/sla-report';
import { runSlaReport } from '../../src/modules/reporting/queries/sla-report.query';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { heldP2Escalation } from '../factories/escalation.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { incidentIdOf, parkClocks } from '../factories/sla.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { clockedSteps } from '../helpers/clocked-steps';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * A report of whole, settled months is added up from each month's stored figures (report_month_partial) and must
 * equal the one statement's over the same incidents. One trust's P2 incidents at a 24x7 hospital (business minutes
 * are wall minutes: respond 30, resolve 480), July and August 2025, asked for on 10 September 2025.
 *
 *  J1 reported Mon 7 July 10:00 local, replied 10:10 (10), resolved 12:00 (120).
 *  J2 reported Mon 14 July 10:00, replied 11:00 (60: breached by 30), escalated 10:30 (never handed back; its
 *     supplier acknowledged in time, never fixed: breached), resolved 20:00 (600: breached by 120). The desk held
 *     10:00-10:30 (30), the supplier 10:30-20:00 (570).
 *  A1 reported Mon 4 August 10:00, replied 10:20 (20), resolved 15:00 (300).
 *
 * Over both months: respond 10, 20, 60 → mean 30, median 20 (July's alone is 35), p90 at rank 1.8: 20 + 0.8 × 40
 * = 52; resolve 120, 300, 600 → mean 340, median 300, p90 300 + 0.8 × 300 = 540. A median of the months' medians
 * or an average of them would give other numbers. Clock holders: the desk 120 + 30 + 300 = 450, the supplier 570.
 * Another trust has one incident in July, which only an all-trusts report counts.
 */
describe('SLA report of whole months, added up from stored months', () => {
  const clock = new FixedClock(new Date('2025-07-07T09:00:00Z'));
  const asOf = new Date('2025-09-10T09:00:00Z');
  const FROM = '2025-07-01';
  const TO = '2025-08-31';
  const ids: string[] = [];
  const ref: Record<string, string> = {};
  let t: TestApp;
  let agent: SignedInUser;
  let manager: SignedInUser;
  let trust: Trust;
  let otherService: string;
  let supplier: Supplier;
  let hospital: Site;

  const { at, reply, move } = clockedSteps(
    () => t,
    clock,
    () => agent.auth,
  );

  beforeAll(async () => {
    t = await createTestApp({ clock });
    agent = await signedInUser(t, 'agent');
    manager = await signedInUser(t, 'desk_manager');
    trust = await createTrust(t.db);
    hospital = await createSite(t.db, trust, { classCode: 'hospital' });
    supplier = await createSupplier(t.db);
    const service = await createService(t.db, supplier);
    otherService = (await createService(t.db, await createSupplier(t.db))).code;
    const p2 = { impact: 'several_users', urgency: 'high' };
    const incident = async (key: string, reported: string, replied: string, resolved: string) => {
      await at(reported, async () => {
        ref[key] = (
          await createIncident(
            t,
            agent.auth,
            incidentBody(hospital, service, { ...p2, reportedAt: reported }),
          )
        ).reference;
        ids.push(await incidentIdOf(t.db, ref[key]));
      });
      await at(replied, () => reply(ref[key]));
      await at(resolved, () => move(ref[key], 'resolved'));
    };
    await incident('J1', '2025-07-07T09:00:00Z', '2025-07-07T09:10:00Z', '2025-07-07T11:00:00Z');
    await at('2025-07-14T09:00:00Z', async () => {
      ref.J2 = (
        await createIncident(
          t,
          agent.auth,
          incidentBody(hospital, service, { ...p2, reportedAt: clock.now().toISOString() }),
        )
      ).reference;
      ids.push(await incidentIdOf(t.db, ref.J2));
    });
    await at('2025-07-14T10:00:00Z', () => reply(ref.J2));
    await heldP2Escalation(
      t.db,
      ids[1],
      supplier.id,
      new Date('2025-07-14T09:30:00Z'),
      new Date('2025-07-14T09:40:00Z'),
    );
    await at('2025-07-14T19:00:00Z', () => move(ref.J2, 'resolved'));
    await incident('A1', '2025-08-04T09:00:00Z', '2025-08-04T09:20:00Z', '2025-08-04T14:00:00Z');
    const elsewhere = await createSite(t.db, await createTrust(t.db), { classCode: 'hospital' });
    await at('2025-07-21T09:00:00Z', async () => {
      const other = await createIncident(
        t,
        agent.auth,
        incidentBody(elsewhere, service, { ...p2, reportedAt: clock.now().toISOString() }),
      );
      ids.push(await incidentIdOf(t.db, other.reference));
      await at('2025-07-21T09:05:00Z', () => reply(other.reference));
      await at('2025-07-21T10:00:00Z', () => move(other.reference, 'resolved'));
    });
    clock.set(asOf);
  });
  afterAll(async () => {
    await parkClocks(t.db, ids);
    await t.close();
  });

  const report = async (query = `trust=${trust.code}&from=${FROM}&to=${TO}`, auth = manager.auth) =>
    (await t.http().get(`/api/reports/sla?${query}`).set(auth).expect(200)).body;
  /** The same period measured by the one statement, as the API shapes it. */
  const measured = async (trustId: string | null, code: string | null, to = TO) =>
    shapeSlaReport(
      await runSlaReport(
        t.db.manager,
        { sql: 'true', params: [] },
        {
          start: new Date('2025-06-30T23:00:00Z'),
          end: new Date(to === TO ? '2025-08-31T23:00:00Z' : '2025-07-31T23:00:00Z'),
          asOf: clock.now(),
          trustId,
        },
      ),
      { trust: code, from: FROM, to, asOf: clock.now() },
    );
  const storedMonths = async () =>
    t.db.query<{ month: string; month_key: string }[]>(
      `SELECT to_char(month, 'YYYY-MM') AS month, month_key FROM report_month_partial WHERE trust_id = $1 ORDER BY month`,
      [trust.id],
    );

  it('answers the hand-worked figures, the same as the one statement, and stores each month', async () => {
    expect(await storedMonths()).toEqual([]);
    const body = await report();
    const figures = {
      total: 3,
      response: { met: 2, breached: 1, open: 0, metPercent: 66.7 },
      resolution: { met: 2, breached: 1, open: 0, metPercent: 66.7 },
      respondMinutes: { mean: 30, median: 20, p90: 52 },
      resolveMinutes: { mean: 340, median: 300, p90: 540 },
    };
    expect(body).toMatchObject({
      total: 3,
      byPriority: { P2: figures },
      bySiteClass: { hospital: figures },
      breachesTotal: 2,
      reopenRate: 0,
      backlog: { open: 0 },
      clockHolders: { desk: 450, caller: 0, suppliers: { [supplier.code]: 570 } },
      suppliers: {
        [supplier.code]: {
          escalations: 1,
          acknowledge: { met: 1, breached: 0 },
          fix: { met: 0, breached: 1 },
        },
      },
    });
    expect(
      body.breaches.map((b: { reference: string; minutesOver: number }) => [b.reference, b.minutesOver]),
    ).toEqual([
      [ref.J2, 120],
      [ref.J2, 30],
    ]);
    expect(body).toEqual(await measured(trust.id, trust.code));
    expect((await storedMonths()).map((r) => r.month)).toEqual(['2025-07', '2025-08']);
    // One month alone (closed, so frozen on this first ask), from its stored row: the same as the one statement.
    const { frozen, ...july } = await report(`trust=${trust.code}&from=${FROM}&to=2025-07-31`);
    expect(frozen).toMatchObject({ version: 1 });
    expect(july).toEqual({ ...(await measured(trust.id, trust.code, '2025-07-31')), frozen: undefined });
    expect(july.byPriority.P2.respondMinutes).toEqual({ mean: 35, median: 35, p90: 55 });
  });

  it('reads the stored months while their key holds: a change to a stored row shows', async () => {
    await t.db.query(
      `UPDATE report_month_partial SET aggregates = jsonb_set(aggregates, '{total}', '10') WHERE trust_id = $1 AND month = '2025-08-01'`,
      [trust.id],
    );
    expect((await report()).total).toBe(2 + 10);
  });

  it('measures a period with a month not settled whole, and stores a month anew once an edit changes its key', async () => {
    const before = await storedMonths();
    // A1's resolution clock running again (as after a reopen): August has not settled.
    const a1 = ids[2];
    const [clk] = await t.db.query<{ met_at: Date; stopped_at: Date }[]>(
      `SELECT met_at, stopped_at FROM incident_sla WHERE incident_id = $1 AND target = 'resolution'`,
      [a1],
    );
    await t.db.query(
      `UPDATE incident_sla SET met_at = NULL, stopped_at = NULL, updated_at = now() WHERE incident_id = $1 AND target = 'resolution'`,
      [a1],
    );
    const open = await report();
    expect(open).toEqual(await measured(trust.id, trust.code));
    expect(open.total).toBe(3);
    // Running past its due time: breached, and its minutes over measured to now (not a stored month's figure).
    expect(open.byPriority.P2.resolution).toMatchObject({ met: 1, breached: 2, open: 0 });
    expect(await storedMonths()).toEqual(before);
    await t.db.query(
      `UPDATE incident_sla SET met_at = $2, stopped_at = $3, updated_at = now() WHERE incident_id = $1 AND target = 'resolution'`,
      [a1, clk.met_at, clk.stopped_at],
    );

    // Settled again, under another key: August is computed again (the row changed by hand above is gone), and an
    // edit through the API (A1 moved to another service) shows.
    await t
      .http()
      .patch(`/api/incidents/${ref.A1}`)
      .set(agent.auth)
      .send({ service: otherService })
      .expect(200);
    const again = await report();
    expect(again).toEqual(await measured(trust.id, trust.code));
    expect(again.total).toBe(3);
    expect(Object.values(again.byService).sort()).toEqual([1, 2]);
    const after = await storedMonths();
    expect(after[0]).toEqual(before[0]);
    expect(after[1].month_key).not.toBe(before[1].month_key);
  });

  it('answers concurrent first asks alike: one stores the months, the others are measured whole', async () => {
    await t.db.query(`DELETE FROM report_month_partial WHERE trust_id = $1`, [trust.id]);
    const answers = await Promise.all([report(), report(), report()]);
    const expected = await measured(trust.id, trust.code);
    for (const answer of answers) expect(answer).toEqual(expected);
    expect((await storedMonths()).map((r) => r.month)).toEqual(['2025-07', '2025-08']);
  });

  it('holds back only the all-trusts report while another trust has a clock running in the period', async () => {
    const other = ids[3];
    const [clk] = await t.db.query<{ met_at: Date; stopped_at: Date }[]>(
      `SELECT met_at, stopped_at FROM incident_sla WHERE incident_id = $1 AND target = 'resolution'`,
      [other],
    );
    const setClock = (metAt: Date | null, stoppedAt: Date | null) =>
      t.db.query(
        `UPDATE incident_sla SET met_at = $2, stopped_at = $3, updated_at = now() WHERE incident_id = $1 AND target = 'resolution'`,
        [other, metAt, stoppedAt],
      );
    await setClock(null, null);
    try {
      expect(await report()).toEqual(await measured(trust.id, trust.code));
      // This trust's months are read from their stored rows: a change made to one shows.
      await t.db.query(
        `UPDATE report_month_partial SET aggregates = jsonb_set(aggregates, '{total}', '10') WHERE trust_id = $1 AND month = '2025-07-01'`,
        [trust.id],
      );
      expect((await report()).total).toBe(10 + 1);
      // All trusts: measured whole by the one statement.
      expect(await report(`from=${FROM}&to=${TO}`)).toEqual(await measured(null, null));
    } finally {
      await setClock(clk.met_at, clk.stopped_at);
    }
    // Settled again under a new key: this trust's July is computed again.
    expect(await report()).toEqual(await measured(trust.id, trust.code));
  });

  it('gives a trust manager their trust from the stored months, and all trusts the same as the one statement', async () => {
    const own = await signedInUser(t, 'trust_manager', { trustId: trust.id });
    expect(await report(`from=${FROM}&to=${TO}`, own.auth)).toEqual(await report());
    const all = await report(`from=${FROM}&to=${TO}`);
    expect(all).toEqual(await measured(null, null));
    expect(all.total).toBeGreaterThanOrEqual(4); // this trust's 3 and the other trust's 1 (and any earlier run's)
  });

  it('computes the months again when a site is renamed (the lists show its name)', async () => {
    const before = await storedMonths();
    // Its name alone, without its updated_at: the key follows what the lists show.
    await t.db.query(`UPDATE site SET name = $2 WHERE id = $1`, [hospital.id, `${hospital.name} (renamed)`]);
    const body = await report();
    expect(body).toEqual(await measured(trust.id, trust.code));
    expect(body.topSites[0].name).toBe(`${hospital.name} (renamed)`);
    expect(body.breaches[0].site).toBe(`${hospital.name} (renamed)`);
    const after = await storedMonths();
    expect(after.map((r) => r.month_key)).not.toContain(before[0].month_key);
  });
});
