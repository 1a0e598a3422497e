import { Escalation } from '../../src/modules/escalation/escalation.entity';
import type { Role } from '../../src/modules/users/user.entity';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

type Scope = 'own' | 'other';
type Call = (
  t: TestApp,
  auth: { Authorization: string },
  reference: string,
  word: string,
) => Promise<{ status: number; body: unknown }>;

/** Every incident endpoint. `reads` answer 200/201 in scope and 404 outside; `deskOnly` answer 403 to others. */
const ENDPOINTS: { name: string; deskOnly: boolean; call: Call; ok: number }[] = [
  {
    name: 'GET incident',
    deskOnly: false,
    ok: 200,
    call: (t, a, r) => t.http().get(`/api/incidents/${r}`).set(a),
  },
  {
    name: 'GET timeline',
    deskOnly: false,
    ok: 200,
    call: (t, a, r) => t.http().get(`/api/incidents/${r}/timeline`).set(a),
  },
  {
    name: 'GET attachments',
    deskOnly: false,
    ok: 200,
    call: (t, a, r) => t.http().get(`/api/incidents/${r}/attachments`).set(a),
  },
  {
    name: 'POST reply',
    deskOnly: false,
    ok: 201,
    call: (t, a, r) => t.http().post(`/api/incidents/${r}/replies`).set(a).send({ body: 'Any news?' }),
  },
  {
    name: 'GET audit',
    deskOnly: true,
    ok: 200,
    call: (t, a, r) => t.http().get(`/api/incidents/${r}/audit`).set(a),
  },
  {
    name: 'POST note',
    deskOnly: true,
    ok: 201,
    call: (t, a, r) => t.http().post(`/api/incidents/${r}/notes`).set(a).send({ body: 'note' }),
  },
  {
    name: 'PATCH incident',
    deskOnly: true,
    ok: 200,
    call: (t, a, r) => t.http().patch(`/api/incidents/${r}`).set(a).send({ urgency: 'low' }),
  },
  {
    name: 'POST transition',
    deskOnly: true,
    ok: 200,
    call: (t, a, r) => t.http().post(`/api/incidents/${r}/transitions`).set(a).send({ to: 'in_progress' }),
  },
  {
    name: 'POST assign',
    deskOnly: true,
    ok: 200,
    call: (t, a, r) => t.http().post(`/api/incidents/${r}/assign`).set(a).send({ assigneeId: null }),
  },
  {
    name: 'POST attachment',
    deskOnly: true,
    ok: 201,
    call: (t, a, r) =>
      t
        .http()
        .post(`/api/incidents/${r}/attachments`)
        .set(a)
        .attach('file', Buffer.from('log line'), 'log.txt'),
  },
];

const ROLES: Role[] = ['agent', 'desk_manager', 'admin', 'trust_manager', 'supplier'];
const DESK: Role[] = ['agent', 'desk_manager', 'admin'];

describe('incident scoping: every endpoint x every role x own/other trust', () => {
  let t: TestApp;
  const users = new Map<Role, SignedInUser>();
  let agent: SignedInUser;
  const word = `scope${Date.now().toString(36)}`;
  let makeIncident: (scope: Scope) => Promise<string>;

  beforeAll(async () => {
    t = await createTestApp();
    const [ownTrust, otherTrust] = [await createTrust(t.db), await createTrust(t.db)];
    const [ownSite, otherSite] = [await createSite(t.db, ownTrust), await createSite(t.db, otherTrust)];
    const [ownSupplier, otherSupplier] = [await createSupplier(t.db), await createSupplier(t.db)];
    const service = await createService(t.db, ownSupplier);
    agent = await signedInUser(t, 'agent');
    for (const role of ROLES) {
      users.set(
        role,
        await signedInUser(
          t,
          role,
          role === 'trust_manager'
            ? { trustId: ownTrust.id }
            : role === 'supplier'
              ? { supplierId: ownSupplier.id }
              : {},
        ),
      );
    }
    // "own" = in the trust manager's trust and escalated to the supplier user's supplier; "other" = neither.
    makeIncident = async (scope) => {
      const site = scope === 'own' ? ownSite : otherSite;
      const { reference } = await createIncident(
        t,
        agent.auth,
        incidentBody(site, service, { summary: `Fault ${word}` }),
      );
      const [{ id }] = await t.db.query('SELECT id FROM incident WHERE number = $1', [
        Number(reference.slice(4)),
      ]);
      await t.db
        .getRepository(Escalation)
        .save({ incidentId: id, supplierId: scope === 'own' ? ownSupplier.id : otherSupplier.id });
      return reference;
    };
  });
  afterAll(() => t.close());

  const cases = ROLES.flatMap((role) =>
    (['own', 'other'] as Scope[]).flatMap((scope) => ENDPOINTS.map((e) => ({ role, scope, e }))),
  );

  it.each(cases.map((c) => [c.role, c.scope, c.e.name, c] as const))(
    '%s on an %s incident: %s',
    async (_role, _scope, _name, { role, scope, e }) => {
      const reference = await makeIncident(scope);
      const user = users.get(role) as SignedInUser;
      const res = await e.call(t, user.auth, reference, word);
      const desk = DESK.includes(role);
      const expected = desk ? e.ok : e.deskOnly ? 403 : scope === 'own' ? e.ok : 404;
      expect({ status: res.status, body: res.status >= 400 ? res.body : 'ok' }).toMatchObject({
        status: expected,
      });
      if (expected === 404) expect(res.body).toMatchObject({ error: 'INCIDENT.NOT_FOUND' });
    },
  );

  it.each(ROLES)(
    '%s lists and searches only what they may see, and filters cannot widen it',
    async (role) => {
      const own = await makeIncident('own');
      const other = await makeIncident('other');
      const user = users.get(role) as SignedInUser;
      const visible = async (query: Record<string, string>): Promise<string[]> => {
        const res = await t
          .http()
          .get('/api/incidents')
          .query({ ...query, limit: '500' })
          .set(user.auth)
          .expect(200);
        return (res.body.items as { reference: string }[]).map((i) => i.reference);
      };
      const searched = await visible({ q: word });
      const otherTrustCode = (await t.http().get(`/api/incidents/${other}`).set(agent.auth)).body.trust
        .code as string;
      const filtered = await visible({ trust: otherTrustCode });
      if (DESK.includes(role)) {
        expect(searched).toEqual(expect.arrayContaining([own, other]));
        expect(filtered).toContain(other);
      } else {
        expect(searched).toContain(own);
        expect(searched).not.toContain(other);
        expect(filtered).toEqual([]);
      }
    },
  );

  it('hides internal notes from trust managers and suppliers', async () => {
    const reference = await makeIncident('own');
    await t
      .http()
      .post(`/api/incidents/${reference}/notes`)
      .set(agent.auth)
      .send({ body: 'desk eyes only' })
      .expect(201);
    for (const role of ['trust_manager', 'supplier'] as Role[]) {
      const res = await t
        .http()
        .get(`/api/incidents/${reference}/timeline`)
        .set((users.get(role) as SignedInUser).auth)
        .expect(200);
      expect(res.body.items.map((e: { kind: string }) => e.kind)).not.toContain('internal_note');
    }
    const desk = await t.http().get(`/api/incidents/${reference}/timeline`).set(agent.auth).expect(200);
    expect(desk.body.items.map((e: { kind: string }) => e.kind)).toContain('internal_note');
  });

  it('refuses incident creation to trust managers and suppliers', async () => {
    for (const role of ['trust_manager', 'supplier'] as Role[]) {
      await t
        .http()
        .post('/api/incidents')
        .set((users.get(role) as SignedInUser).auth)
        .send({})
        .expect(403);
    }
  });
});
