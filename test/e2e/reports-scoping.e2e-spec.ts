import { FixedClock } from '../../src/common/time/clock';
import type { Role } from '../../src/modules/users/user.entity';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { incidentIdOf, parkClocks } from '../factories/sla.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * Who may read which trust's report, for every role × (own trust, another trust, no trust, a trust that does not
 * exist), on the JSON and the CSV. Trust "mine" has 2 incidents in March 2027, trust "theirs" 1.
 */
describe('SLA report scoping: every role × trust', () => {
  const clock = new FixedClock(new Date('2027-03-10T10:00:00Z'));
  const ids: string[] = [];
  let t: TestApp;
  let mine: string;
  let theirs: string;
  const users = {} as Record<Role, SignedInUser>;
  const q = (trust: string | null) =>
    `from=2027-03-01&to=2027-03-31${trust === null ? '' : `&trust=${trust}`}`;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    const a = await createTrust(t.db);
    const b = await createTrust(t.db);
    mine = a.code;
    theirs = b.code;
    const supplier = await createSupplier(t.db);
    const service = await createService(t.db, supplier);
    const agent = await signedInUser(t, 'agent');
    for (const [trust, n] of [
      [a, 2],
      [b, 1],
    ] as const) {
      const site = await createSite(t.db, trust);
      for (let i = 0; i < n; i++) {
        const { reference } = await createIncident(t, agent.auth, incidentBody(site, service));
        ids.push(await incidentIdOf(t.db, reference));
      }
    }
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

  type Ask = 'mine' | 'theirs' | 'none' | 'unknown';
  const trustOf = (ask: Ask): string | null =>
    ask === 'mine' ? mine : ask === 'theirs' ? theirs : ask === 'unknown' ? 'NOSUCHTRUST' : null;

  // [role, asked for, status, {trust, total} when 200]; "none" for desk managers is every trust (at least 3).
  const CASES: [Role, Ask, number, { trust: string | null; total: number } | null][] = [
    ['desk_manager', 'mine', 200, { trust: 'mine', total: 2 }],
    ['desk_manager', 'theirs', 200, { trust: 'theirs', total: 1 }],
    ['desk_manager', 'none', 200, { trust: null, total: 3 }],
    ['desk_manager', 'unknown', 404, null],
    ['admin', 'mine', 200, { trust: 'mine', total: 2 }],
    ['admin', 'theirs', 200, { trust: 'theirs', total: 1 }],
    ['admin', 'none', 200, { trust: null, total: 3 }],
    ['admin', 'unknown', 404, null],
    ['trust_manager', 'mine', 200, { trust: 'mine', total: 2 }],
    ['trust_manager', 'theirs', 404, null],
    ['trust_manager', 'none', 200, { trust: 'mine', total: 2 }],
    ['trust_manager', 'unknown', 404, null],
    ['agent', 'mine', 403, null],
    ['agent', 'theirs', 403, null],
    ['agent', 'none', 403, null],
    ['supplier', 'mine', 403, null],
    ['supplier', 'theirs', 403, null],
    ['supplier', 'none', 403, null],
  ];

  it.each(CASES)('%s asking for %s trust: %i', async (role, ask, status, expected) => {
    const res = await t
      .http()
      .get(`/api/reports/sla?${q(trustOf(ask))}`)
      .set(users[role].auth);
    expect(res.status).toBe(status);
    if (status === 404) expect(res.body).toMatchObject({ error: 'REPORT.TRUST_NOT_FOUND' });
    if (expected) {
      const trust = expected.trust === 'mine' ? mine : expected.trust === 'theirs' ? theirs : null;
      expect(res.body.trust).toBe(trust);
      if (trust === null) expect(res.body.total).toBeGreaterThanOrEqual(expected.total);
      else expect(res.body.total).toBe(expected.total);
    }
    const csv = await t
      .http()
      .get(`/api/reports/sla.csv?${q(trustOf(ask))}`)
      .set(users[role].auth)
      .buffer(true);
    expect(csv.status).toBe(status);
    if (expected && expected.trust !== null) {
      const rows = csv.text.trim().split('\n').slice(1);
      expect(rows).toHaveLength(expected.total);
      const code = expected.trust === 'mine' ? mine : theirs;
      expect(rows.every((r) => r.split(',')[2] === code)).toBe(true);
    }
  });

  it('a trust manager cannot tell another trust from one that does not exist', async () => {
    const other = await t
      .http()
      .get(`/api/reports/sla?${q(theirs)}`)
      .set(users.trust_manager.auth);
    const none = await t
      .http()
      .get(`/api/reports/sla?${q('NOSUCHTRUST')}`)
      .set(users.trust_manager.auth);
    expect([other.status, none.status]).toEqual([404, 404]);
    expect(other.body.message.replace(theirs, 'X')).toBe(none.body.message.replace('NOSUCHTRUST', 'X'));
  });
});
