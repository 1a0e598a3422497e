import { loadDemoDirectory } from '../../src/modules/directory/seed/demo-directory.loader';
import { DEMO_SITES, DEMO_TRUSTS } from '../../src/modules/directory/seed/demo-directory';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('demo directory', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('loads the partnership with the published class breakdown, and loading again changes nothing', async () => {
    await loadDemoDirectory(t.db.manager);
    const again = await loadDemoDirectory(t.db.manager);
    expect(again).toEqual({ siteClasses: 0, trusts: 0, suppliers: 0, services: 0, sites: 0, contacts: 0 });

    const codes = DEMO_SITES.map((s) => s.code);
    const rows: { class_code: string; n: number; trusts: number }[] = await t.db.query(
      'SELECT class_code, count(*)::int AS n, count(DISTINCT trust_id)::int AS trusts FROM site WHERE code = ANY($1) GROUP BY class_code',
      [codes],
    );
    const perClass = Object.fromEntries(rows.map((r) => [r.class_code, r.n]));
    expect(perClass).toEqual({ hospital: 11, community_health: 85, mental_health: 33, prison: 3, other: 37 });
    const [{ trusts }] = await t.db.query(
      'SELECT count(DISTINCT trust_id)::int AS trusts FROM site WHERE code = ANY($1)',
      [codes],
    );
    expect(trusts).toBe(DEMO_TRUSTS.length);
    expect(DEMO_TRUSTS).toHaveLength(8);
    const [{ n: services }] = await t.db.query(
      "SELECT count(*)::int AS n FROM service WHERE code IN ('wireless','lan','wan','voice','remote_access','mobile','videoconferencing','business_continuity')",
    );
    expect(services).toBe(8);
  });
});
