import { Escalation } from '../../src/modules/escalation/escalation.entity';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * What a trust manager or a supplier may read of an incident is what they may read of its timeline: a file
 * attached to an internal note is as private as the note, and search finds only words they could read.
 */
describe('internal notes stay inside the desk: attachments and search', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let manager: SignedInUser;
  let supplierUser: SignedInUser;
  let reference: string;
  let otherReference: string;

  beforeAll(async () => {
    t = await createTestApp();
    const trust = await createTrust(t.db);
    const site = await createSite(t.db, trust);
    const supplier = await createSupplier(t.db);
    const service = await createService(t.db, supplier);
    agent = await signedInUser(t, 'agent');
    manager = await signedInUser(t, 'trust_manager', { trustId: trust.id });
    supplierUser = await signedInUser(t, 'supplier', { supplierId: supplier.id });
    reference = (await createIncident(t, agent.auth, incidentBody(site, service))).reference;
    otherReference = (await createIncident(t, agent.auth, incidentBody(site, service))).reference;
    const id = (
      await t.db.query<{ id: string }[]>('SELECT id FROM incident WHERE number = $1', [reference.slice(4)])
    )[0].id;
    await t.db.getRepository(Escalation).save({ incidentId: id, supplierId: supplier.id });
  });
  afterAll(() => t.close());

  const post = (path: string, who: SignedInUser, body: object) =>
    t.http().post(`/api/incidents/${reference}${path}`).set(who.auth).send(body);
  const upload = (ref: string, eventId: string | null, name: string) => {
    const req = t.http().post(`/api/incidents/${ref}/attachments`).set(agent.auth);
    if (eventId !== null) void req.field('eventId', eventId);
    return req.attach('file', Buffer.from(`contents of ${name}`), name);
  };
  const listed = async (who: SignedInUser): Promise<string[]> =>
    (
      (await t.http().get(`/api/incidents/${reference}/attachments`).set(who.auth).expect(200)).body
        .items as {
        filename: string;
      }[]
    ).map((a) => a.filename);

  describe('a file attached to an internal note', () => {
    let noteFile: string;
    let replyFile: string;

    beforeAll(async () => {
      const note = await post('/notes', agent, { body: 'Router password is in the safe' }).expect(201);
      const reply = await post('/replies', agent, { body: 'An engineer is on the way' }).expect(201);
      noteFile = (await upload(reference, note.body.id, 'router-config.txt').expect(201)).body.id;
      replyFile = (await upload(reference, reply.body.id, 'visit-plan.txt').expect(201)).body.id;
    });

    it('is listed for the desk, and not for a trust manager or a supplier user', async () => {
      expect((await listed(agent)).sort()).toEqual(['router-config.txt', 'visit-plan.txt']);
      expect(await listed(manager)).toEqual(['visit-plan.txt']);
      expect(await listed(supplierUser)).toEqual(['visit-plan.txt']);
    });

    it('downloads for the desk and is 404 for others, as if it did not exist', async () => {
      await t.http().get(`/api/incidents/${reference}/attachments/${noteFile}`).set(agent.auth).expect(200);
      for (const who of [manager, supplierUser]) {
        const res = await t.http().get(`/api/incidents/${reference}/attachments/${noteFile}`).set(who.auth);
        expect(res.status).toBe(404);
        expect(res.body.error).toBe('ATTACHMENT.NOT_FOUND');
        await t.http().get(`/api/incidents/${reference}/attachments/${replyFile}`).set(who.auth).expect(200);
      }
    });
  });

  it("refuses an eventId of another incident's entry, or of no entry, with 422, storing nothing", async () => {
    const elsewhere = await t
      .http()
      .post(`/api/incidents/${otherReference}/notes`)
      .set(agent.auth)
      .send({ body: 'note elsewhere' })
      .expect(201);
    const before = (await listed(agent)).length;
    for (const eventId of [String(elsewhere.body.id), '999999999999']) {
      const res = await upload(reference, eventId, 'stray.txt');
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ error: 'ATTACHMENT.UNKNOWN_EVENT', field: 'eventId' });
    }
    expect(await listed(agent)).toHaveLength(before);
  });

  describe('search', () => {
    const secret = `zanzibar${Date.now().toString(36)}`;
    const open = `kilimanjaro${Date.now().toString(36)}`;

    beforeAll(async () => {
      await post('/notes', agent, { body: `Internal: the ${secret} contract` }).expect(201);
      await post('/replies', agent, { body: `Public: the ${open} visit` }).expect(201);
    });

    const found = async (who: SignedInUser, q: string): Promise<string[]> =>
      (
        (await t.http().get('/api/incidents').query({ q }).set(who.auth).expect(200)).body.items as {
          reference: string;
        }[]
      ).map((i) => i.reference);

    it('finds words of internal notes for the desk only', async () => {
      expect(await found(agent, secret)).toEqual([reference]);
      expect(await found(manager, secret)).toEqual([]);
      expect(await found(supplierUser, secret)).toEqual([]);
    });

    it('finds words of public replies for everyone who may read the incident', async () => {
      for (const who of [agent, manager, supplierUser]) expect(await found(who, open)).toEqual([reference]);
    });
  });
});
