import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import type { Role } from '../../src/modules/users/user.entity';
import {
  createContact,
  createSite,
  createSupplier,
  createTrust,
  ensureSiteClasses,
  uniqueCode,
  uniqueDigits,
  uniqueEmail,
} from '../factories/directory.factory';
import { createUser, TEST_PASSWORD } from '../factories/user.factory';
import { ConsoleClient } from '../helpers/console-client';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The console's managers' and administrators' screens over HTTP: users, sites, contacts, SLA policies, calendars
 * and bank-holiday overrides. Each: who may read and who may change, the form token, validation with what was
 * typed kept, and nothing changed by a refused request.
 */
describe('console: user, directory and SLA administration over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    // Site classes are reference rows every real desk has (seeded); a new site needs its class.
    await ensureSiteClasses(t.db);
  });
  afterAll(() => t.close());

  const signedIn = async (role: Role, binding: { trustId?: string; supplierId?: string } = {}) => {
    const u = await createUser(t.db, t.app.get(PasswordHasher), role, binding);
    const c = new ConsoleClient(t);
    expect((await c.signIn(u.email, TEST_PASSWORD)).status).toBe(303);
    await c.get('/console');
    return { u, c };
  };
  /**
   * The users list as an administrator pages through it (100 a page, by email) until `email` shows, or the last
   * page: the shared test database holds every earlier file's users, so a new one is not always on the first page.
   */
  const usersListShows = async (c: ConsoleClient, email: string): Promise<boolean> => {
    let path: string | null = '/console/admin/users';
    while (path) {
      const page = await c.get(path);
      if (page.text.includes(email)) return true;
      const next = /href="(\/console\/admin\/users\?cursor[^"]+)"/.exec(page.text);
      path = next ? next[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&') : null;
    }
    return false;
  };
  const userRow = async (id: string) =>
    (
      await t.db.query<{ role: string; active: boolean; trust_id: string | null; name: string }[]>(
        'SELECT role, active, trust_id, name FROM app_user WHERE id = $1',
        [id],
      )
    )[0];
  const consoleSessions = async (userId: string) =>
    (
      await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM console_session WHERE user_id = $1', [
        userId,
      ])
    )[0].n;

  describe('users', () => {
    it('lets an administrator create a user; a bad form comes back with its problems and nothing is saved', async () => {
      const { c } = await signedIn('admin');
      const trust = await createTrust(t.db);
      const form = await c.get('/console/admin/users/new');
      expect(form.status).toBe(200);
      expect(form.text).toMatch(/<form[^>]+method="post"[^>]+action="\/console\/admin\/users"/);
      const email = uniqueEmail('newagent');

      const bad = await c.post('/console/admin/users', {
        _csrf: c.csrf,
        name: 'Jo Bloggs',
        email,
        role: 'trust_manager',
        trustCode: '',
        password: 'password1234',
      });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('There is a problem');
      expect(bad.text).toContain('Choose the trust');
      expect(bad.text).toMatch(/Password .*(guess|common)/i);
      expect(bad.text).toContain(`value="${email}"`);
      expect(bad.text).not.toContain('password1234');
      expect(await t.db.query('SELECT 1 FROM app_user WHERE email = $1', [email])).toHaveLength(0);

      const noToken = await c.post('/console/admin/users', {
        name: 'Jo Bloggs',
        email,
        role: 'agent',
        password: 'correct-horse-battery-staple-42',
      });
      expect(noToken.status).toBe(403);
      expect(await t.db.query('SELECT 1 FROM app_user WHERE email = $1', [email])).toHaveLength(0);

      const ok = await c.post('/console/admin/users', {
        _csrf: c.csrf,
        name: 'Jo Bloggs',
        email,
        role: 'trust_manager',
        trustCode: trust.code,
        password: 'correct-horse-battery-staple-42',
      });
      expect(ok.status).toBe(303);
      const [row] = await t.db.query<{ id: string; role: string; trust_id: string }[]>(
        'SELECT id, role, trust_id FROM app_user WHERE email = $1',
        [email],
      );
      expect(row).toMatchObject({ role: 'trust_manager', trust_id: trust.id });
      expect(ok.headers.location).toBe(`/console/admin/users/${row.id}?done=created`);
      expect(await usersListShows(c, email)).toBe(true);
      const taken = await c.post('/console/admin/users', {
        _csrf: c.csrf,
        name: 'Jo Again',
        email,
        role: 'agent',
        password: 'correct-horse-battery-staple-42',
      });
      expect(taken.status).toBe(422);
      expect(taken.text).toContain('already exists');
    });

    it('disables and enables a user, changes their role and ends their sessions (console sessions too)', async () => {
      const admin = await signedIn('admin');
      const target = await signedIn('agent');
      const c = admin.c;
      const trust = await createTrust(t.db);
      const page = await c.get(`/console/admin/users/${target.u.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(target.u.email);

      const disabled = await c.post(`/console/admin/users/${target.u.id}/active`, {
        _csrf: c.csrf,
        active: 'false',
      });
      expect(disabled.status).toBe(303);
      expect(disabled.headers.location).toBe(`/console/admin/users/${target.u.id}?done=disabled`);
      expect(await userRow(target.u.id)).toMatchObject({ active: false });
      expect((await target.c.get('/console')).status).toBe(303);
      expect((await target.c.signIn(target.u.email, TEST_PASSWORD)).status).toBe(401);
      const enabled = await c.post(`/console/admin/users/${target.u.id}/active`, {
        _csrf: c.csrf,
        active: 'true',
      });
      expect(enabled.status).toBe(303);
      expect(await userRow(target.u.id)).toMatchObject({ active: true });

      expect((await target.c.signIn(target.u.email, TEST_PASSWORD)).status).toBe(303);
      const badRole = await c.post(`/console/admin/users/${target.u.id}/role`, {
        _csrf: c.csrf,
        role: 'trust_manager',
        trustCode: '',
      });
      expect(badRole.status).toBe(422);
      expect(badRole.text).toContain('Choose the trust');
      expect(await userRow(target.u.id)).toMatchObject({ role: 'agent' });
      const role = await c.post(`/console/admin/users/${target.u.id}/role`, {
        _csrf: c.csrf,
        role: 'trust_manager',
        trustCode: trust.code,
      });
      expect(role.status).toBe(303);
      expect(await userRow(target.u.id)).toMatchObject({ role: 'trust_manager', trust_id: trust.id });
      // A new role ends the sessions the user held: they sign in again to get it.
      expect(await consoleSessions(target.u.id)).toBe(0);

      expect((await target.c.signIn(target.u.email, TEST_PASSWORD)).status).toBe(303);
      expect(await consoleSessions(target.u.id)).toBe(1);
      const apiLogin = await t
        .http()
        .post('/api/auth/login')
        .send({ email: target.u.email, password: TEST_PASSWORD })
        .expect(200);
      const token = (apiLogin.body as { accessToken: string }).accessToken;
      expect((await c.post(`/console/admin/users/${target.u.id}/sessions`, {})).status).toBe(403);
      expect(await consoleSessions(target.u.id)).toBe(1);
      const ended = await c.post(`/console/admin/users/${target.u.id}/sessions`, { _csrf: c.csrf });
      expect(ended.status).toBe(303);
      expect(await consoleSessions(target.u.id)).toBe(0);
      expect((await target.c.get('/console')).status).toBe(303);
      await t.http().get('/api/users/me').set('Authorization', `Bearer ${token}`).expect(401);
    });

    it('shows users to desk managers read-only; changes are for administrators (403, nothing changed)', async () => {
      const manager = await signedIn('desk_manager');
      const target = await signedIn('agent');
      const list = await manager.c.get('/console/admin/users');
      expect(list.status).toBe(200);
      expect(list.text).not.toContain('href="/console/admin/users/new"');
      const page = await manager.c.get(`/console/admin/users/${target.u.id}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(`action="/console/admin/users/${target.u.id}/active"`);
      expect((await manager.c.get('/console/admin/users/new')).status).toBe(403);
      const refused = await manager.c.post(`/console/admin/users/${target.u.id}/active`, {
        _csrf: manager.c.csrf,
        active: 'false',
      });
      expect(refused.status).toBe(403);
      expect(await userRow(target.u.id)).toMatchObject({ active: true });
      const agent = await signedIn('agent');
      expect((await agent.c.get('/console/admin/users')).status).toBe(403);
      expect((await manager.c.get('/console/admin/users/00000000-0000-4000-8000-000000000000')).status).toBe(
        404,
      );
    });
  });

  describe('sites and contacts', () => {
    it('lists, searches, creates and edits sites with access notes (administrators change them)', async () => {
      const trust = await createTrust(t.db);
      const { c } = await signedIn('admin');
      const code = uniqueDigits(6);
      const name = `Longridge Clinic ${uniqueCode('')}`;
      const bad = await c.post('/console/admin/sites', {
        _csrf: c.csrf,
        code: 'ab',
        name: '',
        class: 'community_health',
        trustCode: trust.code,
        town: 'Longridge',
        accessNotes: 'Ring the bell',
      });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('Site code must be 3-6 digits');
      expect(bad.text).toContain('Enter the site name');
      expect(bad.text).toContain('Ring the bell');

      const created = await c.post('/console/admin/sites', {
        _csrf: c.csrf,
        code,
        name,
        class: 'community_health',
        trustCode: trust.code,
        town: 'Longridge',
        accessNotes: 'Key safe by the back door: code from the practice manager.',
        active: 'true',
      });
      expect(created.status).toBe(303);
      expect(created.headers.location).toBe(`/console/admin/sites/${code}?done=created`);
      const found = await c.get(`/console/admin/sites?q=${encodeURIComponent(name.slice(0, 20))}`);
      expect(found.text).toContain(name);

      const edited = await c.post(`/console/admin/sites/${code}`, {
        _csrf: c.csrf,
        name,
        class: 'hospital',
        trustCode: trust.code,
        town: 'Longridge',
        accessNotes: 'Security desk has the comms room key.',
        active: 'true',
      });
      expect(edited.status).toBe(303);
      const [row] = await t.db.query<{ class_code: string; access_notes: string }[]>(
        'SELECT class_code, access_notes FROM site WHERE code = $1',
        [code],
      );
      expect(row).toEqual({ class_code: 'hospital', access_notes: 'Security desk has the comms room key.' });
      const taken = await c.post('/console/admin/sites', {
        _csrf: c.csrf,
        code,
        name: `${name} 2`,
        class: 'community_health',
        trustCode: trust.code,
      });
      expect(taken.status).toBe(422);
      expect(taken.text).toContain('already exists');

      const manager = await signedIn('desk_manager');
      const view = await manager.c.get(`/console/admin/sites/${code}`);
      expect(view.status).toBe(200);
      expect(view.text).toContain('Security desk has the comms room key.');
      const refused = await manager.c.post(`/console/admin/sites/${code}`, {
        _csrf: manager.c.csrf,
        name: 'Renamed',
        class: 'hospital',
        trustCode: trust.code,
      });
      expect(refused.status).toBe(403);
      const noToken = await c.post(`/console/admin/sites/${code}`, {
        name: 'Renamed',
        class: 'hospital',
        trustCode: trust.code,
      });
      expect(noToken.status).toBe(403);
      const [still] = await t.db.query<{ name: string }[]>('SELECT name FROM site WHERE code = $1', [code]);
      expect(still.name).toBe(name);
      expect((await c.get(`/console/admin/sites/${uniqueDigits(7)}`)).status).toBe(404);
    });

    it('lists, searches, creates and edits contacts (desk managers too)', async () => {
      const trust = await createTrust(t.db);
      const site = await createSite(t.db, trust);
      const existing = await createContact(t.db, site, { name: `Ward Sister ${uniqueCode('')}` });
      const { c } = await signedIn('desk_manager');
      const found = await c.get(`/console/admin/contacts?q=${encodeURIComponent(existing.name)}`);
      expect(found.status).toBe(200);
      expect(found.text).toContain(existing.email as string);

      const email = uniqueEmail('newcontact');
      const bad = await c.post('/console/admin/contacts', {
        _csrf: c.csrf,
        name: 'Dr New',
        email: 'not-an-email',
        phone: '01772 123456',
      });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('Email address must be an email');
      expect(bad.text).toContain('value="Dr New"');

      const created = await c.post('/console/admin/contacts', {
        _csrf: c.csrf,
        name: 'Dr New',
        email,
        phone: '01772 123456',
        usualSiteCode: site.code,
        verified: 'true',
      });
      expect(created.status).toBe(303);
      const [row] = await t.db.query<
        { id: string; phone: string; usual_site_id: string; trust_id: string }[]
      >('SELECT id, phone, usual_site_id, trust_id FROM contact WHERE email = $1', [email]);
      expect(row).toMatchObject({ phone: '+441772123456', usual_site_id: site.id, trust_id: trust.id });
      expect(created.headers.location).toBe(`/console/admin/contacts/${row.id}?done=created`);

      const edited = await c.post(`/console/admin/contacts/${row.id}`, {
        _csrf: c.csrf,
        name: 'Dr New Name',
        email,
        phone: '+44 7700 900555',
        usualSiteCode: site.code,
      });
      expect(edited.status).toBe(303);
      const [after] = await t.db.query<{ name: string; phone: string; verified: boolean }[]>(
        'SELECT name, phone, verified FROM contact WHERE id = $1',
        [row.id],
      );
      expect(after).toEqual({ name: 'Dr New Name', phone: '+447700900555', verified: false });
      const duplicate = await c.post('/console/admin/contacts', { _csrf: c.csrf, name: 'Twin', email });
      expect(duplicate.status).toBe(422);
      expect(duplicate.text).toContain('already exists');
      expect((await c.post(`/console/admin/contacts/${row.id}`, { name: 'Nope', email })).status).toBe(403);

      const agent = await signedIn('agent');
      expect((await agent.c.get('/console/admin/contacts')).status).toBe(403);
      const supplier = await createSupplier(t.db);
      const outsider = await signedIn('supplier', { supplierId: supplier.id });
      expect((await outsider.c.get('/console/admin/contacts')).status).toBe(404);
    });
  });

  describe('SLA', () => {
    it('shows the policies and changes one (reason kept in the history); a bad value is refused on its field', async () => {
      const { c } = await signedIn('desk_manager');
      const page = await c.get('/console/admin/sla');
      expect(page.status).toBe(200);
      expect(page.text).toContain('name="prison.P4.responseMinutes"');
      const before = (
        await t.db.query<
          { response_minutes: number; resolution_minutes: number; calendar_code: string | null }[]
        >(
          "SELECT response_minutes, resolution_minutes, calendar_code FROM sla_policy WHERE site_class_code = 'prison' AND priority = 'P4'",
        )
      )[0];
      const form = (overrides: Record<string, string>): Record<string, string> => {
        const fields: Record<string, string> = { _csrf: c.csrf };
        for (const m of page.text.matchAll(/name="([a-z_]+\.P\d\.[a-zA-Z]+)"[^>]*value="([^"]*)"/g))
          fields[m[1]] = m[2];
        for (const m of page.text.matchAll(
          /<select[^>]+name="([a-z_]+\.P\d\.calendar)"[\s\S]*?<\/select>/g,
        )) {
          const selected = /<option value="([^"]*)" selected/.exec(m[0]);
          fields[m[1]] = selected ? selected[1] : '';
        }
        return { ...fields, ...overrides };
      };
      const bad = await c.post(
        '/console/admin/sla/policies',
        form({ 'prison.P4.responseMinutes': '9000', 'prison.P4.resolutionMinutes': '600', reason: 'Test' }),
      );
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('Response must not be longer than resolution');
      expect(bad.text).toContain('value="9000"');
      const changed = await c.post(
        '/console/admin/sla/policies',
        form({
          'prison.P4.responseMinutes': String(before.response_minutes + 1),
          reason: `Console check ${uniqueCode('')}`,
        }),
      );
      expect(changed.status).toBe(303);
      expect(changed.headers.location).toBe('/console/admin/sla?done=policies');
      const history = await t.db.query<{ n: number }[]>(
        "SELECT count(*)::int AS n FROM sla_policy_version WHERE reason LIKE 'Console check %'",
      );
      expect(history[0].n).toBe(1);
      const restored = await c.post(
        '/console/admin/sla/policies',
        form({
          'prison.P4.responseMinutes': String(before.response_minutes),
          reason: 'Console check restore',
        }),
      );
      expect(restored.status).toBe(303);
      const nothing = await c.post('/console/admin/sla/policies', form({ reason: 'No change' }));
      expect(nothing.status).toBe(303);
      expect(nothing.headers.location).toBe('/console/admin/sla?done=unchanged');
      const after = (
        await t.db.query<{ response_minutes: number }[]>(
          "SELECT response_minutes FROM sla_policy WHERE site_class_code = 'prison' AND priority = 'P4'",
        )
      )[0];
      expect(after.response_minutes).toBe(before.response_minutes);

      const agent = await signedIn('agent');
      expect((await agent.c.get('/console/admin/sla')).status).toBe(403);
      expect((await agent.c.post('/console/admin/sla/policies', form({}))).status).toBe(403);
    });

    it('creates and edits a calendar, refusing one that never opens', async () => {
      const { c } = await signedIn('admin');
      const code = `ext${uniqueDigits(5)}`;
      const week = {
        mon: '07:00-20:00',
        tue: '07:00-20:00',
        wed: '07:00-20:00',
        thu: '07:00-20:00',
        fri: '07:00-20:00',
        sat: '09:00-13:00, 14:00-17:00',
        sun: '',
      };
      expect((await c.get('/console/admin/sla/calendars/new')).status).toBe(200);
      const never = await c.post('/console/admin/sla/calendars', {
        _csrf: c.csrf,
        code,
        name: 'Never open',
        zone: 'Europe/London',
        bankHolidays: 'true',
      });
      expect(never.status).toBe(422);
      expect(never.text).toContain('never opens');
      const badTime = await c.post('/console/admin/sla/calendars', {
        _csrf: c.csrf,
        code,
        name: 'Extended hours',
        zone: 'Europe/London',
        ...week,
        mon: '7am-8pm',
      });
      expect(badTime.status).toBe(422);
      expect(badTime.text).toContain('value="7am-8pm"');
      const created = await c.post('/console/admin/sla/calendars', {
        _csrf: c.csrf,
        code,
        name: 'Extended hours',
        zone: 'Europe/London',
        bankHolidays: 'true',
        ...week,
      });
      expect(created.status).toBe(303);
      expect(created.headers.location).toBe(`/console/admin/sla/calendars/${code}?done=saved`);
      const [row] = await t.db.query<
        { week: Record<string, { open: string; close: string }[]>; bank_holidays: boolean }[]
      >('SELECT week, bank_holidays FROM sla_calendar WHERE code = $1', [code]);
      expect(row.bank_holidays).toBe(true);
      expect(row.week['6']).toEqual([
        { open: '09:00', close: '13:00' },
        { open: '14:00', close: '17:00' },
      ]);
      expect(row.week['7']).toEqual([]);
      const list = await c.get('/console/admin/sla/calendars');
      expect(list.text).toContain('Extended hours');
      const edit = await c.get(`/console/admin/sla/calendars/${code}`);
      expect(edit.text).toContain('value="09:00-13:00, 14:00-17:00"');
      const edited = await c.post(`/console/admin/sla/calendars/${code}`, {
        _csrf: c.csrf,
        name: 'Extended hours (winter)',
        zone: 'Europe/London',
        ...week,
        sun: '10:00-16:00',
      });
      expect(edited.status).toBe(303);
      const [after] = await t.db.query<{ name: string; bank_holidays: boolean; version: number }[]>(
        'SELECT name, bank_holidays, version FROM sla_calendar WHERE code = $1',
        [code],
      );
      expect(after).toEqual({ name: 'Extended hours (winter)', bank_holidays: false, version: 2 });
      expect((await c.post(`/console/admin/sla/calendars/${code}`, { name: 'x', ...week })).status).toBe(403);
    });

    it('lists the bank holidays of a year and adds and removes an override', async () => {
      const { c } = await signedIn('desk_manager');
      const page = await c.get('/console/admin/sla/holidays?year=2026');
      expect(page.status).toBe(200);
      expect(page.text).toContain('Christmas Day');
      expect(page.text).toMatch(/Fri 25 Dec 2026/);
      expect((await c.get('/console/admin/sla/holidays?year=abc')).status).toBe(400);
      const date = '2035-06-13';
      const bad = await c.post('/console/admin/sla/holidays', {
        _csrf: c.csrf,
        date: '13/06/35',
        action: 'add',
        name: 'Royal occasion',
      });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('value="13/06/35"');
      const added = await c.post('/console/admin/sla/holidays', {
        _csrf: c.csrf,
        date: '13/06/2035',
        action: 'add',
        name: 'Royal occasion',
      });
      expect(added.status).toBe(303);
      expect(added.headers.location).toBe('/console/admin/sla/holidays?year=2035&done=added');
      const [row] = await t.db.query<{ action: string; name: string }[]>(
        'SELECT action, name FROM sla_holiday_override WHERE date = $1',
        [date],
      );
      expect(row).toEqual({ action: 'add', name: 'Royal occasion' });
      const year = await c.get('/console/admin/sla/holidays?year=2035');
      expect(year.text).toContain('Royal occasion');
      expect((await c.post(`/console/admin/sla/holidays/${date}/delete`, {})).status).toBe(403);
      const removed = await c.post(`/console/admin/sla/holidays/${date}/delete`, { _csrf: c.csrf });
      expect(removed.status).toBe(303);
      expect(await t.db.query('SELECT 1 FROM sla_holiday_override WHERE date = $1', [date])).toHaveLength(0);
      const gone = await c.post(`/console/admin/sla/holidays/${date}/delete`, { _csrf: c.csrf });
      expect(gone.status).toBe(404);
    });
  });
});
