import { FixedClock } from '../../src/common/time/clock';
import { BREACH_LOOK_UP_ROWS } from '../../src/modules/reporting/queries/report-ctes';
import { slaBreachesSql } from '../../src/modules/reporting/queries/sla-breaches.query';
import type { Role } from '../../src/modules/users/user.entity';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { incidentIdOf, parkClocks } from '../factories/sla.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The report's breaches, worst first, with their total, and the whole list paged from GET /api/reports/sla/breaches
 * under the report's trust rule. Hospital sites run 24x7; a P2 must be answered in 30 minutes. On Mon 11 January 2027
 * (GMT) trust "mine" logs X1 at 09:00, X2 at 09:10 and X3 at 09:20, trust "theirs" Y1 at 09:05; nobody answers.
 * Asked at 10:00, their response clocks run 60, 50, 40 and 55 minutes: over by 30, 20, 10 and 25.
 */
describe('SLA report breaches: the worst in the report, every one paged', () => {
  const clock = new FixedClock(new Date('2027-01-11T09:00:00Z'));
  const ids: string[] = [];
  const ref: Record<string, string> = {};
  let t: TestApp;
  let mine: string;
  let theirs: string;
  const users = {} as Record<Role, SignedInUser>;
  const day = 'from=2027-01-11&to=2027-01-11';

  beforeAll(async () => {
    t = await createTestApp({ clock });
    const a = await createTrust(t.db);
    const b = await createTrust(t.db);
    mine = a.code;
    theirs = b.code;
    const supplier = await createSupplier(t.db);
    const service = await createService(t.db, supplier);
    const agent = await signedInUser(t, 'agent');
    const siteA = await createSite(t.db, a, { classCode: 'hospital' });
    const siteB = await createSite(t.db, b, { classCode: 'hospital' });
    for (const [key, site, iso] of [
      ['X1', siteA, '2027-01-11T09:00:00Z'],
      ['Y1', siteB, '2027-01-11T09:05:00Z'],
      ['X2', siteA, '2027-01-11T09:10:00Z'],
      ['X3', siteA, '2027-01-11T09:20:00Z'],
    ] as const) {
      clock.set(new Date(iso));
      ref[key] = (
        await createIncident(t, agent.auth, incidentBody(site, service, { reportedAt: iso }))
      ).reference;
      ids.push(await incidentIdOf(t.db, ref[key]));
    }
    clock.set(new Date('2027-01-11T10:00:00Z'));
    users.agent = agent;
    users.desk_manager = await signedInUser(t, 'desk_manager');
    users.admin = await signedInUser(t, 'admin');
    users.trust_manager = await signedInUser(t, 'trust_manager', { trustId: a.id });
    users.supplier = await signedInUser(t, 'supplier', { supplierId: supplier.id });
  });
  afterAll(async () => {
    await parkClocks(t.db, ids);
    await t.close();
  });

  const breach = (key: string, minutesOver: number) =>
    expect.objectContaining({
      reference: ref[key],
      target: 'response',
      targetMinutes: 30,
      minutesOver,
      heldBy: 'desk',
    });

  it('gives the same page with its incidents looked up one by one or joined in bulk (a deep page)', async () => {
    // Through the API, a page past BREACH_LOOK_UP_ROWS (nothing there: three breaches in all). The API also writes
    // the business hours of the year, which the statements below read.
    const far = await t
      .http()
      .get(`/api/reports/sla/breaches?trust=${mine}&${day}&offset=${BREACH_LOOK_UP_ROWS}&limit=1`)
      .set(users.desk_manager.auth)
      .expect(200);
    expect(far.body).toMatchObject({ total: 3, offset: BREACH_LOOK_UP_ROWS, breaches: [] });
    // Such a page joins its breaches with the period's incidents in bulk: the same rows as looked up one by one.
    const [{ id: trustId }] = await t.db.query<{ id: string }[]>('SELECT id FROM trust WHERE code = $1', [
      mine,
    ]);
    const params = [
      new Date('2027-01-11T00:00:00Z'),
      new Date('2027-01-12T00:00:00Z'),
      new Date('2027-01-11T10:00:00Z'),
      trustId,
      0,
      500,
    ];
    const [near] = await t.db.query<{ page: unknown }[]>(slaBreachesSql('true', 5, false), params);
    const [deep] = await t.db.query<{ page: unknown }[]>(slaBreachesSql('true', 5, true), params);
    expect(near.page).toMatchObject({
      total: 3,
      breaches: [breach('X1', 30), breach('X2', 20), breach('X3', 10)],
    });
    expect(deep.page).toEqual(near.page);
  });

  it('lists the breaches worst first in the report, with how many there are', async () => {
    const body = (
      await t.http().get(`/api/reports/sla?trust=${mine}&${day}`).set(users.desk_manager.auth).expect(200)
    ).body;
    expect(body.breachesTotal).toBe(3);
    expect(body.breaches).toEqual([breach('X1', 30), breach('X2', 20), breach('X3', 10)]);
  });

  it('pages through every breach in the same order', async () => {
    const page = async (query: string) =>
      (
        await t
          .http()
          .get(`/api/reports/sla/breaches?trust=${mine}&${day}&${query}`)
          .set(users.desk_manager.auth)
          .expect(200)
      ).body;
    expect(await page('offset=1&limit=1')).toEqual({
      trust: mine,
      from: '2027-01-11',
      to: '2027-01-11',
      asOf: '2027-01-11T10:00:00.000Z',
      total: 3,
      offset: 1,
      limit: 1,
      breaches: [breach('X2', 20)],
    });
    expect((await page('offset=2')).breaches).toEqual([breach('X3', 10)]);
    expect(await page('offset=3')).toMatchObject({ total: 3, breaches: [] });
    expect((await page('')).breaches).toEqual([breach('X1', 30), breach('X2', 20), breach('X3', 10)]);
    // Every trust: theirs' Y1 (25 over) between X1 and X2.
    const all = (
      await t.http().get(`/api/reports/sla/breaches?${day}&limit=500`).set(users.admin.auth).expect(200)
    ).body;
    const ours = all.breaches.filter((b: { reference: string }) => Object.values(ref).includes(b.reference));
    expect(ours).toEqual([breach('X1', 30), breach('Y1', 25), breach('X2', 20), breach('X3', 10)]);
    expect(all.total).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ['offset=-1', 'offset'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['offset=x', 'offset'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const res = await t
      .http()
      .get(`/api/reports/sla/breaches?${day}&${query}`)
      .set(users.desk_manager.auth)
      .expect(400);
    expect(JSON.stringify(res.body.fields)).toContain(`"field":"${field}"`);
  });

  // [role, asked for, status, the references listed when 200]
  const CASES: [Role, 'mine' | 'theirs' | 'none', number, string[] | null][] = [
    ['trust_manager', 'mine', 200, ['X1', 'X2', 'X3']],
    ['trust_manager', 'none', 200, ['X1', 'X2', 'X3']],
    ['trust_manager', 'theirs', 404, null],
    ['desk_manager', 'theirs', 200, ['Y1']],
    ['admin', 'theirs', 200, ['Y1']],
    ['agent', 'mine', 403, null],
    ['agent', 'none', 403, null],
    ['supplier', 'mine', 403, null],
    ['supplier', 'none', 403, null],
  ];

  it.each(CASES)('%s asking for %s trust: %i', async (role, ask, status, listed) => {
    const trust = ask === 'mine' ? `&trust=${mine}` : ask === 'theirs' ? `&trust=${theirs}` : '';
    const res = await t.http().get(`/api/reports/sla/breaches?${day}${trust}`).set(users[role].auth);
    expect(res.status).toBe(status);
    if (status === 404) expect(res.body).toMatchObject({ error: 'REPORT.TRUST_NOT_FOUND' });
    if (listed) {
      expect(res.body.breaches.map((b: { reference: string }) => b.reference)).toEqual(
        listed.map((k) => ref[k]),
      );
      expect(res.body.total).toBe(listed.length);
    }
  });

  it('is documented in OpenAPI', async () => {
    const doc = (await t.http().get('/api/docs/openapi.json').expect(200)).body;
    const op = doc.paths['/api/reports/sla/breaches'].get;
    expect(op.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/BreachPageDto',
    });
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'from',
      'limit',
      'offset',
      'to',
      'trust',
    ]);
    expect(Object.keys(doc.components.schemas.SlaReportDto.properties)).toContain('breachesTotal');
  });
});
