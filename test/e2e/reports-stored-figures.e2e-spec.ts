import { FixedClock } from '../../src/common/time/clock';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { incidentIdOf, parkClocks } from '../factories/sla.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { clockedSteps } from '../helpers/clocked-steps';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The report stores who held a settled incident's clocks (sla_clock_summary) and reads them back while they are
 * still true. March 2026 is GMT (local = UTC); the GP-core calendar is open 08:00-18:30 Monday to Friday.
 *
 *  S  P3, reported Mon 2 March 09:00, replied 09:30, awaiting_caller 10:00 → in_progress 12:00, escalated 13:00
 *     (never handed back), resolved 15:00. Resolution clock 09:00-15:00: the caller holds 10:00-12:00 (120), the
 *     supplier 13:00-15:00 (120), the desk 09:00-10:00 and 12:00-13:00 (120).
 *  O  P3, reported Tue 3 March 09:00, replied 09:30, still open. At the report's instant (Mon 9 March 09:00) its
 *     resolution clock has run Tue 09:00-18:30 (570) + Wed-Fri (3 × 630) + Mon 08:00-09:00 (60) = 2520, the desk's.
 *
 * A bank holiday added afterwards for Mon 2 March closes S's whole day: every holder of S then has 0.
 */
describe('SLA report: stored clock-holder figures', () => {
  const clock = new FixedClock(new Date('2026-03-02T09:00:00Z'));
  const HOLIDAY = '2026-03-02';
  const ids: string[] = [];
  let t: TestApp;
  let manager: SignedInUser;
  let admin: SignedInUser;
  let trust: string;
  let supplierCode: string;
  const ref: Record<string, string> = {};
  const march = () => `trust=${trust}&from=2026-03-01&to=2026-03-05`;
  const report = async () =>
    (await t.http().get(`/api/reports/sla?${march()}`).set(manager.auth).expect(200)).body;
  const stored = async (key: string) =>
    t.db.query<{ resolution_desk: string; resolution_caller: string; resolution_suppliers: object }[]>(
      `SELECT s.* FROM sla_clock_summary s WHERE s.incident_id = $1`,
      [await incidentIdOf(t.db, ref[key])],
    );

  beforeAll(async () => {
    t = await createTestApp({ clock });
    const agent = await signedInUser(t, 'agent');
    manager = await signedInUser(t, 'desk_manager');
    admin = await signedInUser(t, 'admin');
    const tr = await createTrust(t.db);
    trust = tr.code;
    const site = await createSite(t.db, tr, { classCode: 'community_health' });
    const supplier = await createSupplier(t.db);
    supplierCode = supplier.code;
    const service = await createService(t.db, supplier);
    const { at, reply, move } = clockedSteps(
      () => t,
      clock,
      () => agent.auth,
    );
    const create = (key: string, iso: string) =>
      at(iso, async () => {
        ref[key] = (
          await createIncident(
            t,
            agent.auth,
            incidentBody(site, service, { urgency: 'medium', reportedAt: iso }),
          )
        ).reference;
        ids.push(await incidentIdOf(t.db, ref[key]));
      });

    await create('S', '2026-03-02T09:00:00Z');
    await at('2026-03-02T09:30:00Z', () => reply(ref.S));
    await at('2026-03-02T10:00:00Z', () => move(ref.S, 'awaiting_caller'));
    await at('2026-03-02T12:00:00Z', () => move(ref.S, 'in_progress'));
    await t.db.query(
      `INSERT INTO escalation (incident_id, supplier_id, status, created_at) VALUES ($1, $2, 'sent', $3)`,
      [ids[0], supplier.id, new Date('2026-03-02T13:00:00Z')],
    );
    await at('2026-03-02T15:00:00Z', () => move(ref.S, 'resolved'));
    await create('O', '2026-03-03T09:00:00Z');
    await at('2026-03-03T09:30:00Z', () => reply(ref.O));
    clock.set(new Date('2026-03-09T09:00:00Z'));
  });
  afterAll(async () => {
    await t.http().delete(`/api/sla/holidays/overrides/${HOLIDAY}`).set(admin.auth);
    await parkClocks(t.db, ids);
    await t.close();
  });

  it('stores the settled incident once measured, not the open one, and answers the same from the stored row', async () => {
    expect(await stored('S')).toEqual([]);
    const live = await report();
    expect(live.clockHolders).toEqual({
      desk: 120 + 2520,
      caller: 120,
      suppliers: { [supplierCode]: 120 },
    });
    expect(live.reopenRate).toBe(0);
    const [row] = await stored('S');
    expect(Number(row.resolution_desk)).toBe(120);
    expect(Number(row.resolution_caller)).toBe(120);
    expect(row.resolution_suppliers).toEqual({ [supplierCode]: 120 });
    expect(await stored('O')).toEqual([]);

    expect(await report()).toEqual(live);
    // The second answer reads the stored row: a change made to it shows.
    await t.db.query(`UPDATE sla_clock_summary SET resolution_desk = 100 WHERE incident_id = $1`, [ids[0]]);
    expect((await report()).clockHolders.desk).toBe(100 + 2520);
  });

  it('measures again, and stores anew, once a calendar correction makes the stored row untrue', async () => {
    await t
      .http()
      .put(`/api/sla/holidays/overrides/${HOLIDAY}`)
      .set(admin.auth)
      .send({ action: 'add', name: 'A closed day added afterwards' })
      .expect((r) => expect([200, 201]).toContain(r.status));
    expect((await report()).clockHolders).toEqual({
      desk: 2520,
      caller: 0,
      suppliers: { [supplierCode]: 0 },
    });
    const [row] = await stored('S');
    expect(Number(row.resolution_desk)).toBe(0);
  });
});
