import { FixedClock } from '../../src/common/time/clock';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { incidentIdOf, parkClocks } from '../factories/sla.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * Frozen monthly packs (REPORT_FREEZE_AFTER_DAYS = 5): October 2026 closes on Fri 6 November 00:00 (GMT). One P3
 * at a GP-core site (08:00-18:30 local), reported Mon 19 October 09:00 BST, replied Tue 20 09:00, resolved Tue 20
 * 10:00: the desk held its resolution clock Mon 09:00-18:30 (570) + Tue 08:00-10:00 (120) = 690 business minutes.
 * A bank-holiday override added afterwards for Mon 19 October leaves only Tuesday's 120.
 */
describe('frozen monthly report packs', () => {
  const clock = new FixedClock(new Date('2026-10-19T08:00:00Z'));
  const ids: string[] = [];
  const HOLIDAY = '2026-10-19';
  let t: TestApp;
  let manager: SignedInUser;
  let admin: SignedInUser;
  let trustManager: SignedInUser;
  let trust: string;
  const october = () => `trust=${trust}&from=2026-10-01&to=2026-10-31`;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { REPORT_FREEZE_AFTER_DAYS: '5' } });
    const agent = await signedInUser(t, 'agent');
    manager = await signedInUser(t, 'desk_manager');
    admin = await signedInUser(t, 'admin');
    const tr = await createTrust(t.db);
    trust = tr.code;
    trustManager = await signedInUser(t, 'trust_manager', { trustId: tr.id });
    const site = await createSite(t.db, tr, { classCode: 'community_health' });
    const service = await createService(t.db, await createSupplier(t.db));
    const { reference } = await createIncident(
      t,
      agent.auth,
      incidentBody(site, service, { urgency: 'medium', reportedAt: '2026-10-19T08:00:00Z' }),
    );
    ids.push(await incidentIdOf(t.db, reference));
    clock.set(new Date('2026-10-20T08:00:00Z'));
    await t
      .http()
      .post(`/api/incidents/${reference}/replies`)
      .set(agent.auth)
      .send({ body: 'On it.' })
      .expect(201);
    clock.set(new Date('2026-10-20T09:00:00Z'));
    await t
      .http()
      .post(`/api/incidents/${reference}/transitions`)
      .set(agent.auth)
      .send({ to: 'resolved', resolution: { code: 'fixed', notes: 'Fixed.' } })
      .expect(200);
  });
  afterAll(async () => {
    await t.http().delete(`/api/sla/holidays/overrides/${HOLIDAY}`).set(admin.auth);
    await parkClocks(t.db, ids);
    await t.close();
  });

  const get = async (who: SignedInUser) =>
    (await t.http().get(`/api/reports/sla?${october()}`).set(who.auth).expect(200)).body;

  it('computes an open month live, freezes it once closed, and answers the frozen pack from then on', async () => {
    clock.set(new Date('2026-11-05T23:59:00Z'));
    expect(await get(manager)).toMatchObject({ frozen: null, clockHolders: { desk: 690 } });
    expect(
      await t.db.query('SELECT 1 FROM report_pack p JOIN trust t ON t.id = p.trust_id WHERE t.code = $1', [
        trust,
      ]),
    ).toEqual([]);
    await t.http().post(`/api/reports/sla/packs/${trust}/2026-10/versions`).set(manager.auth).expect(409);

    clock.set(new Date('2026-11-06T00:00:00Z'));
    const first = await get(trustManager);
    expect(first).toMatchObject({
      frozen: {
        version: 1,
        frozenAt: '2026-11-06T00:00:00.000Z',
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      clockHolders: { desk: 690 },
      total: 1,
    });
    clock.set(new Date('2026-11-20T00:00:00Z'));
    const later = await get(manager);
    expect(later).toEqual(first); // the pack, not a new computation (asOf is the freezing instant)
    const csv = await t
      .http()
      .get(`/api/reports/sla.csv?${october()}`)
      .set(trustManager.auth)
      .buffer(true)
      .expect(200);
    expect(csv.text.trim().split('\n')).toHaveLength(2);
    // Nothing changed: no new version.
    const same = await t
      .http()
      .post(`/api/reports/sla/packs/${trust}/2026-10/versions`)
      .set(manager.auth)
      .expect(409);
    expect(same.body).toMatchObject({ error: 'REPORT.PACK_UNCHANGED' });
  });

  it('shows the desk manager what a later correction changes, issues version 2 on request, and keeps version 1', async () => {
    await t
      .http()
      .put(`/api/sla/holidays/overrides/${HOLIDAY}`)
      .set(admin.auth)
      .send({ action: 'add', name: 'A closed day added afterwards' })
      .expect((r) => expect([200, 201]).toContain(r.status));
    // Readers still get version 1 until a desk manager issues a new one.
    expect(await get(trustManager)).toMatchObject({ frozen: { version: 1 }, clockHolders: { desk: 690 } });

    const diff = (await t.http().get(`/api/reports/sla/packs/${trust}/2026-10`).set(manager.auth).expect(200))
      .body;
    expect(diff.versions.map((v: { version: number }) => v.version)).toEqual([1]);
    expect(diff.current.differs).toBe(true);
    expect(diff.current.configVersion).not.toBe(diff.versions[0].configVersion);
    expect(diff.current.changes).toEqual(
      expect.arrayContaining([{ path: 'clockHolders.desk', frozen: 690, now: 120 }]),
    );

    await t
      .http()
      .post(`/api/reports/sla/packs/${trust}/2026-10/versions`)
      .set(trustManager.auth)
      .expect(403);
    const issued = await t
      .http()
      .post(`/api/reports/sla/packs/${trust}/2026-10/versions`)
      .set(manager.auth)
      .expect(201);
    expect(issued.body).toMatchObject({ version: 2, frozenBy: manager.user.email });

    expect(await get(trustManager)).toMatchObject({ frozen: { version: 2 }, clockHolders: { desk: 120 } });
    const after = (
      await t.http().get(`/api/reports/sla/packs/${trust}/2026-10`).set(manager.auth).expect(200)
    ).body;
    expect(after.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(after.current).toMatchObject({ differs: false, changes: [] });
  });

  it('refuses packs of an open month, of a month never frozen, and of another trust for a trust manager', async () => {
    await t.http().post(`/api/reports/sla/packs/${trust}/2026-11/versions`).set(manager.auth).expect(409);
    const none = await t.http().get(`/api/reports/sla/packs/${trust}/2026-09`).set(manager.auth).expect(404);
    expect(none.body).toMatchObject({ error: 'REPORT.PACK_NOT_FOUND' });
    await t.http().get(`/api/reports/sla/packs/${trust}/2026-10`).set(trustManager.auth).expect(403);
    await t.http().get(`/api/reports/sla/packs/NOSUCH/2026-10`).set(manager.auth).expect(404);
    await t.http().get(`/api/reports/sla/packs/${trust}/2026-1`).set(manager.auth).expect(400);
  });
});
