import { FixedClock } from '../../src/common/time/clock';
import type { AuthUser } from '../../src/modules/auth/auth-user';
import { SlaReportService } from '../../src/modules/reporting/sla-report.service';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { incidentIdOf, parkClocks } from '../factories/sla.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { clockedSteps } from '../helpers/clocked-steps';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The 12-month chart's ended months are stored per trust (report_month_figures) and read back while the month's
 * clocks are unchanged. Hospital sites run 24x7; a P2 must be resolved in 480 minutes. On Mon 25 January 2027
 * (GMT) M1 and M2 are logged at 09:00; M1 is resolved at 12:00 (180, met), M2 at 19:00 (600, breached): January
 * is 50 % met. On Mon 1 February at 10:00 M1 is reopened (its clock runs again: 180 used, due 15:00), so January
 * is 0 % met (M1 open, M2 breached); at 11:00 it is resolved again (240, met): 50 % again.
 */
describe('SLA report: stored month figures of the 12-month chart', () => {
  const clock = new FixedClock(new Date('2027-01-25T09:00:00Z'));
  const ids: string[] = [];
  const ref: Record<string, string> = {};
  let t: TestApp;
  let trustId: string;
  let trust: string;
  let manager: SignedInUser;
  let ownManager: SignedInUser;
  let otherManager: SignedInUser;
  let agent: SignedInUser;
  const authUser = (s: SignedInUser): AuthUser => ({
    id: s.user.id,
    email: s.user.email,
    name: s.user.name,
    role: s.user.role,
    trustId: s.user.trustId,
    supplierId: s.user.supplierId,
  });
  /** January's met % on the chart of the 12 months to February 2027, as `who` sees it (trust: theirs, or `trust`). */
  const january = async (who: SignedInUser, ask: { trust?: string } = {}) => {
    const reports = t.app.get(SlaReportService);
    const target = await reports.target(authUser(who), { ...ask, from: '2027-02-01', to: '2027-02-28' });
    const months = await reports.monthlyMetPercent(target);
    expect(months).toHaveLength(12);
    return months.find((m) => m.month === '2027-01')?.metPercent;
  };
  const stored = async () =>
    (
      await t.db.query<{ clocks_key: string; figures: Record<string, [number, number]> }[]>(
        `SELECT clocks_key, figures FROM report_month_figures WHERE month = '2027-01-01'`,
      )
    )[0];

  beforeAll(async () => {
    t = await createTestApp({ clock });
    agent = await signedInUser(t, 'agent');
    manager = await signedInUser(t, 'desk_manager');
    const tr = await createTrust(t.db);
    const other = await createTrust(t.db);
    trustId = tr.id;
    trust = tr.code;
    ownManager = await signedInUser(t, 'trust_manager', { trustId: tr.id });
    otherManager = await signedInUser(t, 'trust_manager', { trustId: other.id });
    const site = await createSite(t.db, tr, { classCode: 'hospital' });
    const service = await createService(t.db, await createSupplier(t.db));
    const { at, move } = clockedSteps(
      () => t,
      clock,
      () => agent.auth,
    );
    for (const key of ['M1', 'M2']) {
      const iso = '2027-01-25T09:00:00Z';
      ref[key] = (
        await createIncident(t, agent.auth, incidentBody(site, service, { reportedAt: iso }))
      ).reference;
      ids.push(await incidentIdOf(t.db, ref[key]));
    }
    await at('2027-01-25T12:00:00Z', () => move(ref.M1, 'resolved'));
    await at('2027-01-25T19:00:00Z', () => move(ref.M2, 'resolved'));
    clock.set(new Date('2027-02-01T09:00:00Z'));
  });
  afterAll(async () => {
    await parkClocks(t.db, ids);
    await t.close();
  });

  it('stores an ended month once counted, reads it back, and applies the trust rule to it', async () => {
    expect(await january(manager, { trust })).toBe(50);
    const row = await stored();
    expect(row.figures[trustId]).toEqual([1, 1]);
    // The next chart reads the stored month: a change made to it shows.
    await t.db.query(
      `UPDATE report_month_figures SET figures = jsonb_set(figures, ARRAY[$1], '[3, 1]') WHERE month = '2027-01-01'`,
      [trustId],
    );
    expect(await january(manager, { trust })).toBe(75);
    expect(await january(ownManager)).toBe(75);
    // Another trust's manager does not see this trust's stored figures.
    expect(await january(otherManager)).toBeNull();
  });

  it('counts the month again once one of its clocks is written: a reopen, then a new resolution', async () => {
    const before = await stored();
    clock.set(new Date('2027-02-01T10:00:00Z'));
    await clockedSteps(
      () => t,
      clock,
      () => agent.auth,
    ).move(ref.M1, 'in_progress');
    // M1 runs again (not due before 15:00): January is counted from the clocks, and not stored while it can change.
    expect(await january(ownManager)).toBe(0);
    expect(await stored()).toEqual(before);

    clock.set(new Date('2027-02-01T11:00:00Z'));
    await clockedSteps(
      () => t,
      clock,
      () => agent.auth,
    ).move(ref.M1, 'resolved');
    expect(await january(manager, { trust })).toBe(50);
    const after = await stored();
    expect(after.figures[trustId]).toEqual([1, 1]);
    expect(after.clocks_key).not.toBe(before.clocks_key);
  });

  it('counts the month not ended yet from the clocks, and never stores it', async () => {
    const fresh = await createTrust(t.db);
    const site = await createSite(t.db, fresh, { classCode: 'hospital' });
    const service = await createService(t.db, await createSupplier(t.db));
    const iso = '2027-02-01T11:00:00Z';
    clock.set(new Date(iso));
    const { reference } = await createIncident(
      t,
      agent.auth,
      incidentBody(site, service, { reportedAt: iso }),
    );
    ids.push(await incidentIdOf(t.db, reference));
    const reports = t.app.get(SlaReportService);
    const target = await reports.target(authUser(manager), {
      trust: fresh.code,
      from: '2027-02-01',
      to: '2027-02-28',
    });
    expect(await reports.monthlyMetPercent(target)).toContainEqual({ month: '2027-02', metPercent: null });
    expect(await t.db.query(`SELECT 1 FROM report_month_figures WHERE month = '2027-02-01'`)).toEqual([]);
  });
});
