import { randomUUID } from 'node:crypto';
import { createContact, createSite, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody, incidentWorld } from '../factories/incident.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { rowCounts } from '../helpers/row-counts';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * What a careless or hostile client sends, endpoint by endpoint: every case answers a 4xx in the documented shape
 * `{statusCode, error, message}` naming the field and the reason, and leaves nothing written.
 */
describe('hostile input', () => {
  let t: TestApp;
  let admin: SignedInUser;
  let agent: SignedInUser;
  let reference: string;
  let contactId: string;
  let siteCode: string;
  let world: Awaited<ReturnType<typeof incidentWorld>>;

  /** Rows a request could write; "nothing saved" means none of these moved. */
  const counts = () =>
    rowCounts(t.db, [
      'incidents',
      'events',
      'audit',
      'users',
      'contacts',
      'trusts',
      'sites',
      'services',
      'suppliers',
      'attachments',
      'outbound',
    ]);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signedInUser(t, 'admin');
    agent = await signedInUser(t, 'agent');
    world = await incidentWorld(t);
    siteCode = world.site.code;
    reference = (await createIncident(t, agent.auth, incidentBody(world.site, world.service))).reference;
    contactId = (await createContact(t.db, world.site, { name: 'Hostile Input Contact' })).id;
  });
  afterAll(() => t.close());

  const send = (method: string, path: string, user: SignedInUser) => {
    const http = t.http();
    const req =
      method === 'POST'
        ? http.post(path)
        : method === 'PATCH'
          ? http.patch(path)
          : method === 'PUT'
            ? http.put(path)
            : http.get(path);
    return req.set(user.auth);
  };

  const fieldsOf = (body: { fields?: { field: string; reasons: string[] }[] }) => body.fields ?? [];

  /** JSON bodies: each with one string field the bad text goes into. */
  const bodies: {
    what: string;
    method: string;
    path: () => string;
    field: string;
    body: (bad: string) => object;
    user: () => SignedInUser;
  }[] = [
    {
      what: 'incident create: summary',
      method: 'POST',
      path: () => '/api/incidents',
      field: 'summary',
      body: (bad) => incidentBody(world.site, world.service, { summary: `Wi-Fi ${bad} down` }),
      user: () => agent,
    },
    {
      what: 'incident create: description',
      method: 'POST',
      path: () => '/api/incidents',
      field: 'description',
      body: (bad) => incidentBody(world.site, world.service, { description: `All down ${bad}` }),
      user: () => agent,
    },
    {
      what: 'incident create: reporter name',
      method: 'POST',
      path: () => '/api/incidents',
      field: 'reporter.name',
      body: (bad) => incidentBody(world.site, world.service, { reporter: { name: `Dr ${bad}` } }),
      user: () => agent,
    },
    {
      what: 'incident create: priority reason',
      method: 'POST',
      path: () => '/api/incidents',
      field: 'priorityReason',
      body: (bad) =>
        incidentBody(world.site, world.service, { priority: 'P1', priorityReason: `Theatre ${bad}` }),
      user: () => agent,
    },
    {
      what: 'incident update: summary',
      method: 'PATCH',
      path: () => `/api/incidents/${reference}`,
      field: 'summary',
      body: (bad) => ({ summary: `Changed ${bad}` }),
      user: () => agent,
    },
    {
      what: 'public reply',
      method: 'POST',
      path: () => `/api/incidents/${reference}/replies`,
      field: 'body',
      body: (bad) => ({ body: `Reply ${bad}` }),
      user: () => agent,
    },
    {
      what: 'internal note',
      method: 'POST',
      path: () => `/api/incidents/${reference}/notes`,
      field: 'body',
      body: (bad) => ({ body: `Note ${bad}` }),
      user: () => agent,
    },
    {
      what: 'transition comment',
      method: 'POST',
      path: () => `/api/incidents/${reference}/transitions`,
      field: 'comment',
      body: (bad) => ({ to: 'in_progress', comment: `Going ${bad}` }),
      user: () => agent,
    },
    {
      what: 'user create: name',
      method: 'POST',
      path: () => '/api/users',
      field: 'name',
      body: (bad) => ({
        email: `u.${randomUUID().slice(0, 8)}@example.test`,
        name: `Jo ${bad}`,
        password: 'a-long-passphrase-here',
        role: 'agent',
      }),
      user: () => admin,
    },
    {
      what: 'user create: password',
      method: 'POST',
      path: () => '/api/users',
      field: 'password',
      body: (bad) => ({
        email: `u.${randomUUID().slice(0, 8)}@example.test`,
        name: 'Jo',
        password: `a-long-passphrase-${bad}`,
        role: 'agent',
      }),
      user: () => admin,
    },
    {
      what: 'contact create: name',
      method: 'POST',
      path: () => '/api/contacts',
      field: 'name',
      body: (bad) => ({ name: `Dr ${bad}` }),
      user: () => agent,
    },
    {
      what: 'contact update: name',
      method: 'PATCH',
      path: () => `/api/contacts/${contactId}`,
      field: 'name',
      body: (bad) => ({ name: `Dr ${bad}` }),
      user: () => agent,
    },
    {
      what: 'trust create: name',
      method: 'POST',
      path: () => '/api/trusts',
      field: 'name',
      body: (bad) => ({ code: 'HOSTILE1', name: `Trust ${bad}`, kind: 'pct' }),
      user: () => admin,
    },
    {
      what: 'site create: town',
      method: 'POST',
      path: () => '/api/sites',
      field: 'town',
      body: (bad) => ({
        code: '99871',
        name: 'Site',
        class: 'other',
        trustCode: 'NOSUCH',
        town: `Preston ${bad}`,
      }),
      user: () => admin,
    },
    {
      what: 'service create: description',
      method: 'POST',
      path: () => '/api/services',
      field: 'description',
      body: (bad) => ({ code: 'hostile_svc', name: 'Svc', description: `About ${bad}` }),
      user: () => admin,
    },
    {
      what: 'login: password',
      method: 'POST',
      path: () => '/api/auth/login',
      field: 'password',
      body: (bad) => ({ email: 'nobody@example.test', password: `pw ${bad}` }),
      user: () => admin,
    },
  ];

  /** Query strings and path parameters, as they appear in the URL (already percent-encoded). */
  const urls: { what: string; path: (bad: string) => string; field: string; inPath?: boolean }[] = [
    { what: 'incident search q', path: (bad) => `/api/incidents?q=wifi${bad}`, field: 'q' },
    { what: 'incident filter trust', path: (bad) => `/api/incidents?trust=CL${bad}`, field: 'trust' },
    { what: 'incident filter service', path: (bad) => `/api/incidents?service=lan${bad}`, field: 'service' },
    { what: 'site search q', path: (bad) => `/api/sites?q=Pres${bad}`, field: 'q' },
    { what: 'site filter trust', path: (bad) => `/api/sites?trust=CL${bad}`, field: 'trust' },
    { what: 'contact search q', path: (bad) => `/api/contacts?q=dr${bad}`, field: 'q' },
    { what: 'site code in the path', path: (bad) => `/api/sites/20${bad}`, field: 'code', inPath: true },
    { what: 'trust code in the path', path: (bad) => `/api/trusts/CL${bad}`, field: 'code', inPath: true },
  ];

  describe.each([
    { kind: 'a NUL character', json: '\u0000', url: '%00', reason: /NUL/ },
    {
      kind: 'a lone UTF-16 surrogate',
      json: '\ud800',
      url: '%ED%A0%80',
      reason: /surrogate|not valid UTF-8/,
    },
  ])('$kind', ({ json, url, reason }) => {
    it.each(bodies)('in a JSON body ($what) is a 400 naming the field, saving nothing', async (c) => {
      const before = await counts();
      const res = await send(c.method, c.path(), c.user()).send(c.body(json)).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'REQUEST.VALIDATION_FAILED' });
      const field = fieldsOf(res.body).find((f) => f.field === c.field);
      expect(field?.reasons.join(' ')).toMatch(reason);
      expect(await counts()).toEqual(before);
    });

    it.each(urls)('in the URL ($what) is a 400 naming the field', async (c) => {
      const res = await send('GET', c.path(url), agent).expect(400);
      if (c.inPath && url.startsWith('%ED')) {
        // Bytes that are not UTF-8 in the path: the router refuses the URL before any route (a framework error).
        expect(res.body).toEqual({ statusCode: 400, error: 'REQUEST.BAD_URL', message: expect.any(String) });
        return;
      }
      expect(res.body).toMatchObject({ statusCode: 400, error: 'REQUEST.VALIDATION_FAILED' });
      const field = fieldsOf(res.body).find((f) => f.field === c.field);
      expect(field?.reasons.join(' ')).toMatch(reason);
    });
  });

  describe('tampered cursors', () => {
    type Kind = 'timestamp' | 'uuid' | 'bigint' | 'text';
    const good: Record<Kind, string> = {
      timestamp: '2026-01-01T00:00:00.000Z',
      uuid: '5b2f3c9e-4a43-4a55-9df0-6f0c1b2a7c11',
      bigint: '5',
      text: 'm',
    };
    const bad: Record<Kind, unknown[]> = {
      timestamp: ['yesterday', '2026-02-31T00:00:00.000Z', 1e400, 'x\u0000'],
      uuid: ['------------------------------------', 'not-a-uuid', 42, 'x\u0000'],
      bigint: ['99999999999999999999', '-1', 'abc', 1e400, 1.5],
      text: ['x\u0000', 'x\ud800', { nested: true }],
    };
    const lists: { list: string; path: () => string; keys: Record<string, Kind> }[] = [
      {
        list: 'incidents (-reportedAt)',
        path: () => '/api/incidents?',
        keys: { r: 'timestamp', id: 'uuid' },
      },
      {
        list: 'incidents (priority)',
        path: () => '/api/incidents?sort=priority&',
        keys: { p: 'text', r: 'timestamp', id: 'uuid' },
      },
      {
        list: 'incidents (-updatedAt)',
        path: () => '/api/incidents?sort=-updatedAt&',
        keys: { u: 'timestamp', id: 'uuid' },
      },
      { list: 'timeline', path: () => `/api/incidents/${reference}/timeline?`, keys: { id: 'bigint' } },
      { list: 'audit', path: () => `/api/incidents/${reference}/audit?`, keys: { id: 'bigint' } },
      { list: 'users', path: () => '/api/users?', keys: { email: 'text' } },
      { list: 'intake log', path: () => '/api/intake/messages?', keys: { r: 'timestamp', id: 'uuid' } },
      { list: 'contacts', path: () => '/api/contacts?', keys: { name: 'text', id: 'uuid' } },
      { list: 'sites', path: () => '/api/sites?', keys: { code: 'text' } },
      { list: 'SLA policy history', path: () => '/api/sla/policies/history?', keys: { id: 'bigint' } },
    ];
    const cursor = (value: unknown): string =>
      Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');
    const cases = lists.flatMap(({ list, path, keys }) => [
      ...['not json', '[]', 'null', '"x"', '{}'].map((raw) => ({
        list,
        path,
        what: raw,
        cursor: cursor(raw),
      })),
      ...Object.entries(keys).flatMap(([key, kind]) =>
        bad[kind].map((value) => {
          const key_ = Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, good[v]]));
          return {
            list,
            path,
            what: `${key}=${JSON.stringify(value)}`,
            cursor: cursor({ ...key_, [key]: value }),
          };
        }),
      ),
    ]);

    it('takes its own well-formed cursor of every kind (the table below is only wrong values)', async () => {
      for (const { path, keys } of lists) {
        const key = Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, good[v]]));
        await send('GET', `${path()}cursor=${cursor(key)}`, admin).expect(200);
      }
    });

    it.each(cases)('$list with $what is 400 LIST.INVALID_CURSOR', async ({ path, cursor: c }) => {
      const res = await send('GET', `${path()}cursor=${c}`, admin).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'LIST.INVALID_CURSOR', field: 'cursor' });
    });
  });

  describe('ids', () => {
    const dashes = '-'.repeat(36);

    it.each([
      { what: 'assignee filter', path: () => `/api/incidents?assignee=${dashes}`, field: 'assignee' },
      { what: 'attachment id', path: () => `/api/incidents/${reference}/attachments/${dashes}`, field: 'id' },
      { what: 'user id', path: () => `/api/users/${dashes}`, field: 'id' },
      { what: 'contact id', path: () => `/api/contacts/${dashes}`, field: 'id' },
      { what: 'intake message id', path: () => `/api/intake/messages/${dashes}`, field: 'id' },
    ])('refuses 36 dashes as a UUID ($what) with 400 naming the field', async ({ path, field }) => {
      const res = await send('GET', path(), admin).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'REQUEST.VALIDATION_FAILED' });
      expect(fieldsOf(res.body).map((f) => f.field)).toContain(field);
    });

    it('refuses 36 dashes as an assignee id with 400 naming the field, changing nothing', async () => {
      const before = await counts();
      const res = await send('POST', `/api/incidents/${reference}/assign`, agent)
        .send({ assigneeId: dashes })
        .expect(400);
      expect(fieldsOf(res.body).map((f) => f.field)).toEqual(['assigneeId']);
      expect(await counts()).toEqual(before);
    });

    it.each(['99999999999999999999', '-1', 'abc', '1e3'])(
      'refuses the upload event id %s with 400 naming eventId, storing nothing',
      async (eventId) => {
        const before = await counts();
        const res = await send('POST', `/api/incidents/${reference}/attachments`, agent)
          .field('eventId', eventId)
          .attach('file', Buffer.from('hello'), 'note.txt')
          .expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, error: 'REQUEST.VALIDATION_FAILED' });
        expect(fieldsOf(res.body).map((f) => f.field)).toEqual(['eventId']);
        expect(await counts()).toEqual(before);
      },
    );
  });

  it('site searches on the public form survive a NUL and a lone surrogate', async () => {
    const trust = await createTrust(t.db);
    await createSite(t.db, trust, { name: 'Hostile Survivor Clinic' });
    for (const q of ['Hostile%00Survivor', 'Hostile%ED%A0%80']) {
      const res = await t.http().get(`/report/sites?q=${q}&trust=${trust.code}`).expect(200);
      expect(res.text).toContain('Hostile');
    }
    expect(siteCode).toBeDefined();
  });
});
