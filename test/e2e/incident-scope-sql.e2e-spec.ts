import type { AuthUser } from '../../src/modules/auth/auth-user';
import { Escalation } from '../../src/modules/escalation/escalation.entity';
import { IncidentScope } from '../../src/modules/incidents/incident-access';
import { Incident } from '../../src/modules/incidents/incident.entity';
import type { Role } from '../../src/modules/users/domain/roles';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { signedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * IncidentScope has two renderings of one rule: a query-builder condition (the API's lists and pages) and a raw-SQL
 * fragment (reports, the console's queues). Both must give every role exactly the same incidents.
 */
describe('IncidentScope: the query builder and the raw SQL fragment agree for every role', () => {
  let t: TestApp;
  let scope: IncidentScope;
  const ids: Record<'a' | 'aEscalated' | 'b', string> = { a: '', aEscalated: '', b: '' };
  const bindings: Record<string, { trustId?: string; supplierId?: string }> = {};

  beforeAll(async () => {
    t = await createTestApp();
    scope = t.app.get(IncidentScope);
    const [trustA, trustB] = [await createTrust(t.db), await createTrust(t.db)];
    const [siteA, siteB] = [await createSite(t.db, trustA), await createSite(t.db, trustB)];
    const [supplierX, supplierY] = [await createSupplier(t.db), await createSupplier(t.db)];
    const service = await createService(t.db, supplierX);
    const agent = await signedInUser(t, 'agent');
    const idOf = async (reference: string) =>
      (await t.db.getRepository(Incident).findOneByOrFail({ number: reference.slice(4) })).id;
    ids.a = await idOf((await createIncident(t, agent.auth, incidentBody(siteA, service))).reference);
    ids.aEscalated = await idOf(
      (await createIncident(t, agent.auth, incidentBody(siteA, service))).reference,
    );
    ids.b = await idOf((await createIncident(t, agent.auth, incidentBody(siteB, service))).reference);
    await t.db.getRepository(Escalation).save({ incidentId: ids.aEscalated, supplierId: supplierX.id });
    Object.assign(bindings, {
      trustA: { trustId: trustA.id },
      trustB: { trustId: trustB.id },
      supplierX: { supplierId: supplierX.id },
      supplierY: { supplierId: supplierY.id },
    });
  });

  afterAll(() => t.close());

  const user = (role: Role, binding: { trustId?: string; supplierId?: string } = {}): AuthUser => ({
    id: '00000000-0000-4000-8000-000000000001',
    email: 'someone@example.test',
    name: 'Someone',
    role,
    trustId: binding.trustId ?? null,
    supplierId: binding.supplierId ?? null,
  });

  const cases: [string, Role, string | null, ('a' | 'aEscalated' | 'b')[]][] = [
    ['agent', 'agent', null, ['a', 'aEscalated', 'b']],
    ['desk manager', 'desk_manager', null, ['a', 'aEscalated', 'b']],
    ['admin', 'admin', null, ['a', 'aEscalated', 'b']],
    ["trust A's manager", 'trust_manager', 'trustA', ['a', 'aEscalated']],
    ["trust B's manager", 'trust_manager', 'trustB', ['b']],
    ['a trust manager bound to no trust', 'trust_manager', null, []],
    ['a user of the supplier it was escalated to', 'supplier', 'supplierX', ['aEscalated']],
    ['a user of another supplier', 'supplier', 'supplierY', []],
    ['a supplier user bound to no supplier', 'supplier', null, []],
  ];

  it.each(cases)('%s', async (_name, role, binding, expected) => {
    const caller = user(role, binding ? bindings[binding] : {});
    const ours = Object.values(ids);
    const viaBuilder = await scope
      .apply(t.db.getRepository(Incident).createQueryBuilder('i'), 'i', caller)
      .andWhere('i.id IN (:...ours)', { ours })
      .getMany();
    const fragment = scope.sql(caller, 'x', 2);
    const viaSql = await t.db.query<{ id: string }[]>(
      `SELECT x.id FROM incident x WHERE x.id = ANY($1::uuid[]) AND ${fragment.sql}`,
      [ours, ...fragment.params],
    );
    const want = expected.map((k) => ids[k]).sort();
    expect(viaBuilder.map((i) => i.id).sort()).toEqual(want);
    expect(viaSql.map((r) => r.id).sort()).toEqual(want);
  });
});
