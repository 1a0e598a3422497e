import { DateTime } from 'luxon';
import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import { ContactsService } from '../../src/modules/directory/contacts.service';
import type { Role } from '../../src/modules/users/user.entity';
import {
  createContact,
  createService,
  createSite,
  createSupplier,
  createTrust,
  uniqueCode,
  uniqueDigits,
  uniqueEmail,
} from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { createUser, signedInUser, TEST_PASSWORD, type SignedInUser } from '../factories/user.factory';
import { ConsoleClient } from '../helpers/console-client';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** A matrix unlike the default one, so the page can be seen to show the configured matrix. */
const MATRIX = {
  site_down: { high: 'P1', medium: 'P1', low: 'P2' },
  several_users: { high: 'P2', medium: 'P3', low: 'P4' },
  one_user: { high: 'P3', medium: 'P4', low: 'P4' },
};

/** The console's new-incident form for an agent taking a call, and search from every page, over HTTP. */
describe('console: new incident for a call, and search', () => {
  let t: TestApp;
  let api: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { PRIORITY_MATRIX: JSON.stringify(MATRIX) } });
    api = await signedInUser(t, 'agent');
  });
  afterAll(() => t.close());

  const signedIn = async (role: Role = 'agent', binding: { trustId?: string } = {}) => {
    const u = await createUser(t.db, t.app.get(PasswordHasher), role, binding);
    const c = new ConsoleClient(t);
    expect((await c.signIn(u.email, TEST_PASSWORD)).status).toBe(303);
    await c.get('/console');
    return { u, c };
  };

  async function world() {
    const trust = await createTrust(t.db);
    const site = await createSite(t.db, trust, {
      code: uniqueDigits(6),
      name: `Fulwood Health Centre ${uniqueCode('')}`,
    });
    const surname = `Patel${uniqueCode('').toLowerCase()}`;
    const contact = await createContact(t.db, site, {
      name: `Dr Asha ${surname}`,
      email: uniqueEmail('asha'),
      phone: `+44177${uniqueDigits(7)}`,
    });
    const service = await createService(t.db, await createSupplier(t.db));
    return { trust, site, contact, surname, service };
  }

  const incidentsWithSummary = async (summary: string) =>
    t.db.query<
      {
        number: string;
        channel: string;
        priority: string;
        priority_overridden: boolean;
        priority_reason: string | null;
        reported_at: Date;
        reporter_name: string;
        reporter_email: string | null;
        reporter_phone: string | null;
        impact: string;
        urgency: string;
      }[]
    >(
      `SELECT number, channel, priority, priority_overridden, priority_reason, reported_at, reporter_name,
              reporter_email, reporter_phone, impact, urgency
         FROM incident WHERE summary = $1`,
      [summary],
    );

  it('shows the form with the configured priority matrix and a CSRF token; desk staff only', async () => {
    const { c } = await signedIn('agent');
    const page = await c.get('/console/incidents/new');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<form[^>]+method="post"[^>]+action="\/console\/incidents\/new"/);
    expect(page.text).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
    // The configured matrix, not the default one (where several users, low urgency is P3).
    expect(page.text).toMatch(/data-impact="several_users" data-urgency="low"[^>]*>P4</);
    expect(page.text).toMatch(/data-impact="site_down" data-urgency="medium"[^>]*>P1</);
    expect(page.text).toContain('name="reportedAt"');

    const trust = await createTrust(t.db);
    const manager = await signedIn('trust_manager', { trustId: trust.id });
    expect((await manager.c.get('/console/incidents/new')).status).toBe(404);
    expect((await manager.c.get('/console/incidents/new?caller=Patel')).status).toBe(404);
    const posted = await manager.c.post('/console/incidents/new', { _csrf: manager.c.csrf, summary: 'x' });
    expect(posted.status).toBe(404);
  });

  it('finds callers by name, email or phone as typed, with and without htmx, and picks one', async () => {
    const w = await world();
    const { c } = await signedIn('agent');
    const byName = await c.get(`/console/incidents/new?caller=${encodeURIComponent(w.surname)}`);
    expect(byName.status).toBe(200);
    expect(byName.text).toContain('<html');
    expect(byName.text).toContain(w.contact.name);
    expect(byName.text).toContain(w.contact.email as string);
    expect(byName.text).toContain(w.site.name);

    const national = `0${(w.contact.phone as string).slice(3, 7)} ${(w.contact.phone as string).slice(7)}`;
    const byPhone = await c
      .get(`/console/incidents/new?caller=${encodeURIComponent(national)}`)
      .then((r) => r);
    expect(byPhone.text).toContain(w.contact.name);

    const fragment = await t
      .http()
      .get(`/console/incidents/new?caller=${encodeURIComponent(w.contact.email as string)}`)
      .set(
        'Cookie',
        Object.entries(c.jar)
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
      )
      .set('HX-Request', 'true');
    expect(fragment.status).toBe(200);
    expect(fragment.text).not.toContain('<html');
    expect(fragment.text).toContain(w.contact.name);

    const none = await c.get(
      `/console/incidents/new?caller=${encodeURIComponent(`nobody${uniqueCode('')}`)}`,
    );
    expect(none.text).toContain('No contact matches');

    const picked = await c.get(`/console/incidents/new?contact=${w.contact.id}`);
    expect(picked.status).toBe(200);
    expect(picked.text).toContain(`value="${w.contact.name}"`);
    expect(picked.text).toContain(`value="${w.contact.email as string}"`);
    expect(picked.text).toContain(`value="${w.contact.phone as string}"`);
    expect(picked.text).toContain(`value="${w.site.code} — ${w.site.name}"`);
  });

  it('keeps contacts to the desk: the directory read refuses other roles', async () => {
    const trust = await createTrust(t.db);
    const manager = await createUser(t.db, t.app.get(PasswordHasher), 'trust_manager', { trustId: trust.id });
    await expect(t.app.get(ContactsService).findCallers(manager, 'Patel')).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
  });

  it('creates a phone incident for a call taken earlier, with a priority override, and opens it', async () => {
    const w = await world();
    const { c, u } = await signedIn('agent');
    await c.get('/console/incidents/new');
    const summary = `Phones dead at reception ${uniqueCode('')}`;
    const earlier = DateTime.now().setZone('Europe/London').minus({ hours: 2 }).startOf('minute');
    const res = await c.post('/console/incidents/new', {
      _csrf: c.csrf,
      callerName: w.contact.name,
      callerEmail: w.contact.email as string,
      callerPhone: '01772 000111',
      site: w.site.name,
      service: w.service.code,
      impact: 'several_users',
      urgency: 'low',
      priority: 'P2',
      priorityReason: 'GP surgery cannot take calls from patients',
      summary,
      description: 'The caller says no desk phone has a dial tone since 08:00.',
      reportedAt: earlier.toFormat("yyyy-LL-dd'T'HH:mm"),
    });
    expect(res.status).toBe(303);
    const [row] = await incidentsWithSummary(summary);
    expect(res.headers.location).toBe(
      `/console/incidents/INC-${String(row.number).padStart(6, '0')}?done=created`,
    );
    expect(row).toMatchObject({
      channel: 'phone',
      impact: 'several_users',
      urgency: 'low',
      priority: 'P2',
      priority_overridden: true,
      priority_reason: 'GP surgery cannot take calls from patients',
      reporter_name: w.contact.name,
      reporter_email: w.contact.email,
      reporter_phone: '+441772000111',
    });
    expect(row.reported_at.toISOString()).toBe(earlier.toJSDate().toISOString());
    const page = await c.get(res.headers.location);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Incident logged');
    expect(page.text).toContain(summary);
    const [audit] = await t.db.query<{ actor_user_id: string }[]>(
      `SELECT a.actor_user_id FROM audit_entry a JOIN incident i ON i.id = a.entity_id WHERE i.summary = $1 AND a.action = 'incident.created'`,
      [summary],
    );
    expect(audit?.actor_user_id).toBe(u.id);
  });

  it('refuses a form with problems: 422, each field named, what was typed kept, nothing created', async () => {
    const w = await world();
    const { c } = await signedIn('agent');
    await c.get('/console/incidents/new');
    const summary = `Kept summary ${uniqueCode('')}`;
    const res = await c.post('/console/incidents/new', {
      _csrf: c.csrf,
      callerName: '',
      callerPhone: 'ring reception',
      site: `Nowhere ${uniqueCode('')}`,
      service: w.service.code,
      impact: 'site_down',
      urgency: 'high',
      priority: 'P3',
      summary,
      description: 'Typed description stays',
      reportedAt: DateTime.now().setZone('Europe/London').plus({ days: 1 }).toFormat("yyyy-LL-dd'T'HH:mm"),
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('There is a problem');
    for (const message of [
      'Enter the caller&#x27;s name',
      'Enter a phone number like 01772 123456',
      'No site is called',
      'Enter why this is P3 rather than P1',
      'The time of the call cannot be in the future',
    ])
      expect(res.text).toContain(message);
    expect(res.text).toContain(`value="${summary}"`);
    expect(res.text).toContain('Typed description stays');
    expect(res.text).toMatch(/id="caller-name"[^>]*aria-invalid="true"/);
    expect(await incidentsWithSummary(summary)).toHaveLength(0);
  });

  it('refuses a create without its form token (403) and creates nothing', async () => {
    const w = await world();
    const { c } = await signedIn('agent');
    const summary = `No token ${uniqueCode('')}`;
    const body = {
      callerName: 'Someone',
      site: w.site.code,
      service: w.service.code,
      impact: 'one_user',
      urgency: 'low',
      summary,
      description: 'x',
    };
    expect((await c.post('/console/incidents/new', body)).status).toBe(403);
    expect((await c.post('/console/incidents/new', { ...body, _csrf: 'x'.repeat(43) })).status).toBe(403);
    expect(await incidentsWithSummary(summary)).toHaveLength(0);
  });

  it("searches by reference or words within the user's scope; a trust manager never finds internal notes' words", async () => {
    const mine = await world();
    const other = await world();
    const secret = `zanzibar${uniqueCode('').toLowerCase()}`;
    const shared = `kilimanjaro${uniqueCode('').toLowerCase()}`;
    const publicWord = `serengeti${uniqueCode('').toLowerCase()}`;
    const own = await createIncident(
      t,
      api.auth,
      incidentBody(mine.site, mine.service, { summary: `Own trust ${shared}` }),
    );
    const foreign = await createIncident(
      t,
      api.auth,
      incidentBody(other.site, other.service, { summary: `Other trust ${shared} ${publicWord}` }),
    );
    await t
      .http()
      .post(`/api/incidents/${own.reference}/notes`)
      .set(api.auth)
      .send({ body: `Desk only: ${secret} contract dispute` })
      .expect(201);
    await t
      .http()
      .post(`/api/incidents/${own.reference}/replies`)
      .set(api.auth)
      .send({ body: `We are on it ${publicWord}` })
      .expect(201);

    const agent = await signedIn('agent');
    const deskFound = await agent.c.get(`/console?q=${secret}`);
    expect(deskFound.text).toContain(own.reference);

    const manager = await signedIn('trust_manager', { trustId: mine.trust.id });
    const bySecret = await manager.c.get(`/console?q=${secret}`);
    expect(bySecret.status).toBe(200);
    expect(bySecret.text).not.toContain(own.reference);
    const byNegation = await manager.c.get(`/console?q=${encodeURIComponent(`${shared} -${secret}`)}`);
    expect(byNegation.text).toContain(own.reference);
    const byShared = await manager.c.get(`/console?q=${shared}`);
    expect(byShared.text).toContain(own.reference);
    expect(byShared.text).not.toContain(foreign.reference);
    const byPublic = await manager.c.get(`/console?q=${publicWord}`);
    expect(byPublic.text).toContain(own.reference);
    expect(byPublic.text).not.toContain(foreign.reference);
    const byReference = await manager.c.get(`/console?q=${foreign.reference}`);
    expect(byReference.status).toBe(303);
    expect((await manager.c.get(byReference.headers.location)).status).toBe(404);
    expect(byShared.text).toMatch(/<input id="search-q" name="q" type="search" value="[^"]+"/);
  });
});
