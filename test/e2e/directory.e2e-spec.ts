import { Site } from '../../src/modules/directory/site.entity';
import { Trust } from '../../src/modules/directory/trust.entity';
import { createSite, createTrust, uniqueCode, uniqueDigits } from '../factories/directory.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('directory API', () => {
  let t: TestApp;
  let admin: SignedInUser;
  let agent: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signedInUser(t, 'admin');
    agent = await signedInUser(t, 'agent');
  });
  afterAll(() => t.close());

  it('lists sites with code, name, class and trust, filtered by trust, class and search', async () => {
    const trust = await createTrust(t.db);
    const hospital = await createSite(t.db, trust, {
      classCode: 'hospital',
      name: `Royal Infirmary ${uniqueCode()}`,
    });
    const clinic = await createSite(t.db, trust, { classCode: 'community_health', town: 'Chorley' });
    const other = await createSite(t.db, await createTrust(t.db), { classCode: 'hospital' });

    const byTrust = await t.http().get('/api/sites').query({ trust: trust.code }).set(agent.auth).expect(200);
    expect(byTrust.body.nextCursor).toBeNull();
    expect(byTrust.body.items.map((s: { code: string }) => s.code).sort()).toEqual(
      [hospital.code, clinic.code].sort(),
    );
    expect(byTrust.body.items.find((s: { code: string }) => s.code === hospital.code)).toEqual({
      code: hospital.code,
      name: hospital.name,
      class: 'hospital',
      trust: { code: trust.code, name: trust.name },
      town: 'Preston',
      accessNotes: null,
      active: true,
      phoneNumbers: [],
    });

    const byClass = await t
      .http()
      .get('/api/sites')
      .query({ trust: trust.code, class: 'hospital' })
      .set(agent.auth)
      .expect(200);
    expect(byClass.body.items.map((s: { code: string }) => s.code)).toEqual([hospital.code]);

    const byName = await t
      .http()
      .get('/api/sites')
      .query({ q: hospital.name.slice(-8) })
      .set(agent.auth)
      .expect(200);
    expect(byName.body.items.map((s: { code: string }) => s.code)).toEqual([hospital.code]);

    const byCode = await t.http().get('/api/sites').query({ q: other.code }).set(agent.auth).expect(200);
    expect(byCode.body.items.map((s: { code: string }) => s.code)).toEqual([other.code]);
  });

  it('pages through sites with limit and an opaque cursor, and rejects a forged cursor', async () => {
    const trust = await createTrust(t.db);
    const codes = (await Promise.all([1, 2, 3, 4, 5].map(() => createSite(t.db, trust))))
      .map((s: Site) => s.code)
      .sort();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { trust: trust.code, limit: 2 };
      if (cursor) query.cursor = cursor;
      const page = await t.http().get('/api/sites').query(query).set(agent.auth).expect(200);
      seen.push(...page.body.items.map((s: { code: string }) => s.code));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual(codes);
    const bad = await t.http().get('/api/sites').query({ cursor: 'garbage!' }).set(agent.auth).expect(400);
    expect(bad.body).toMatchObject({ error: 'LIST.INVALID_CURSOR', field: 'cursor' });
    await t.http().get('/api/sites').query({ limit: 501 }).set(agent.auth).expect(400);
  });

  it('lets an admin create and update a trust, a site, a supplier and a service', async () => {
    const trustCode = uniqueCode('A');
    await t
      .http()
      .post('/api/trusts')
      .set(admin.auth)
      .send({ code: trustCode, name: 'New Trust', kind: 'pct', emailDomains: ['New.nhs.uk'] })
      .expect(201);
    const patched = await t
      .http()
      .patch(`/api/trusts/${trustCode}`)
      .set(admin.auth)
      .send({ name: 'Renamed Trust' })
      .expect(200);
    expect(patched.body).toMatchObject({
      code: trustCode,
      name: 'Renamed Trust',
      emailDomains: ['new.nhs.uk'],
    });

    const siteCode = uniqueDigits(6);
    const site = await t
      .http()
      .post('/api/sites')
      .set(admin.auth)
      .send({ code: siteCode, name: `Clinic ${siteCode}`, class: 'prison', trustCode })
      .expect(201);
    expect(site.body).toMatchObject({
      code: siteCode,
      class: 'prison',
      trust: { code: trustCode, name: 'Renamed Trust' },
    });
    const moved = await t
      .http()
      .patch(`/api/sites/${siteCode}`)
      .set(admin.auth)
      .send({ class: 'hospital', accessNotes: 'Gate B' })
      .expect(200);
    expect(moved.body).toMatchObject({ class: 'hospital', accessNotes: 'Gate B' });

    const supplierCode = uniqueCode('s').toLowerCase();
    await t
      .http()
      .post('/api/suppliers')
      .set(admin.auth)
      .send({ code: supplierCode, name: 'Cables Ltd', email: 'desk@cables.test' })
      .expect(201);
    const serviceCode = uniqueCode('v').toLowerCase();
    const service = await t
      .http()
      .post('/api/services')
      .set(admin.auth)
      .send({ code: serviceCode, name: 'Cabling', defaultSupplierCode: supplierCode })
      .expect(201);
    expect(service.body).toMatchObject({ code: serviceCode, defaultSupplier: supplierCode, active: true });
    const services = await t.http().get('/api/services').set(agent.auth).expect(200);
    expect(services.body.items.map((s: { code: string }) => s.code)).toContain(serviceCode);
  });

  it('answers a duplicate code with 409, an unknown reference with 422 and bad fields with 400, saving nothing', async () => {
    const trust = await createTrust(t.db);
    const dup = await t
      .http()
      .post('/api/trusts')
      .set(admin.auth)
      .send({ code: trust.code, name: 'Again', kind: 'pct' })
      .expect(409);
    expect(dup.body).toMatchObject({ error: 'DIRECTORY.CODE_TAKEN', field: 'code' });

    const siteCode = uniqueDigits(6);
    const unknown = await t
      .http()
      .post('/api/sites')
      .set(admin.auth)
      .send({ code: siteCode, name: 'Nowhere', class: 'other', trustCode: 'NOSUCH' })
      .expect(422);
    expect(unknown.body).toMatchObject({ error: 'DIRECTORY.UNKNOWN_REFERENCE', field: 'trustCode' });

    const bad = await t
      .http()
      .post('/api/sites')
      .set(admin.auth)
      .send({ code: 'x1', name: '', class: 'castle' })
      .expect(400);
    expect((bad.body.fields as { field: string }[]).map((f) => f.field).sort()).toEqual([
      'class',
      'code',
      'name',
      'trustCode',
    ]);
    expect(await t.db.getRepository(Site).countBy({ code: siteCode })).toBe(0);
    expect(await t.db.getRepository(Trust).countBy({ code: trust.code })).toBe(1);
  });

  it('lets an admin give a site its own phone lines, each number on one site only', async () => {
    const trust = await createTrust(t.db);
    const code = uniqueDigits(6);
    const line = `+441772${uniqueDigits(6)}`;
    const created = await t
      .http()
      .post('/api/sites')
      .set(admin.auth)
      .send({
        code,
        name: `Ward lines ${code}`,
        class: 'hospital',
        trustCode: trust.code,
        phoneNumbers: [line],
      })
      .expect(201);
    expect(created.body.phoneNumbers).toEqual([line]);
    const second = `+441772${uniqueDigits(6)}`;
    const patched = await t
      .http()
      .patch(`/api/sites/${code}`)
      .set(admin.auth)
      .send({ phoneNumbers: [second, line] })
      .expect(200);
    expect(patched.body.phoneNumbers).toEqual([line, second].sort());

    const other = await createSite(t.db, trust);
    const taken = await t
      .http()
      .patch(`/api/sites/${other.code}`)
      .set(admin.auth)
      .send({ phoneNumbers: [second], name: 'Renamed, not saved' })
      .expect(409);
    expect(taken.body).toMatchObject({
      error: 'DIRECTORY.PHONE_NUMBER_TAKEN',
      field: 'phoneNumbers',
      siteCode: code,
    });
    const untouched = await t.http().get(`/api/sites/${other.code}`).set(agent.auth).expect(200);
    expect(untouched.body).toMatchObject({ name: other.name, phoneNumbers: [] });

    const bad = await t
      .http()
      .patch(`/api/sites/${code}`)
      .set(admin.auth)
      .send({ phoneNumbers: ['01772 123456'] })
      .expect(400);
    expect((bad.body.fields as { field: string }[]).map((f) => f.field)).toEqual(['phoneNumbers']);
    await t.http().patch(`/api/sites/${code}`).set(agent.auth).send({ phoneNumbers: [] }).expect(403);
    const cleared = await t
      .http()
      .patch(`/api/sites/${code}`)
      .set(admin.auth)
      .send({ phoneNumbers: [] })
      .expect(200);
    expect(cleared.body.phoneNumbers).toEqual([]);
  });

  it('stores markup in names as text', async () => {
    const code = uniqueCode('X');
    const res = await t
      .http()
      .post('/api/trusts')
      .set(admin.auth)
      .send({ code, name: '<script>alert(1)</script>', kind: 'pct' })
      .expect(201);
    expect(res.body.name).toBe('<script>alert(1)</script>');
  });

  it('keeps contacts (personal data) to desk staff', async () => {
    const manager = await signedInUser(t, 'trust_manager', { trustId: (await createTrust(t.db)).id });
    await t.http().get('/api/contacts').set(manager.auth).expect(403);
    const site = await createSite(t.db, await createTrust(t.db));
    const created = await t
      .http()
      .post('/api/contacts')
      .set(agent.auth)
      .send({
        name: 'Dr Test',
        email: 'Dr.Test@Example.test',
        phone: '+447700900001',
        usualSiteCode: site.code,
      })
      .expect(201);
    expect(created.body).toMatchObject({
      email: 'dr.test@example.test',
      usualSiteCode: site.code,
      trustCode: site.trust?.code,
    });
    const found = await t.http().get('/api/contacts').query({ q: 'dr.test@' }).set(agent.auth).expect(200);
    expect(found.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
    await t
      .http()
      .post('/api/contacts')
      .set(agent.auth)
      .send({ name: 'Bad', phone: '07700 900001' })
      .expect(400);
  });

  it('refuses names of only whitespace and removes line breaks from one-line fields, saving nothing refused', async () => {
    const blankContact = await t
      .http()
      .post('/api/contacts')
      .set(agent.auth)
      .send({ name: '  \r\n ' })
      .expect(400);
    expect(blankContact.body.fields.map((f: { field: string }) => f.field)).toEqual(['name']);
    const code = uniqueCode('W');
    const blankTrust = await t
      .http()
      .post('/api/trusts')
      .set(admin.auth)
      .send({ code, name: '\t\t', kind: 'pct' })
      .expect(400);
    expect(blankTrust.body.fields.map((f: { field: string }) => f.field)).toEqual(['name']);
    expect(await t.db.getRepository(Trust).countBy({ code })).toBe(0);

    const contact = await t
      .http()
      .post('/api/contacts')
      .set(agent.auth)
      .send({ name: 'Dr\r\nInjected: header' })
      .expect(201);
    expect(contact.body.name).toBe('Dr Injected: header');
    const trust = await t
      .http()
      .post('/api/trusts')
      .set(admin.auth)
      .send({ code, name: 'Two\nLines Trust', kind: 'pct' })
      .expect(201);
    expect(trust.body.name).toBe('Two Lines Trust');
    const site = await t
      .http()
      .post('/api/sites')
      .set(admin.auth)
      .send({
        code: uniqueDigits(6),
        name: 'Site\r\nName',
        class: 'other',
        trustCode: code,
        town: 'Pres\nton',
      })
      .expect(201);
    expect(site.body).toMatchObject({ name: 'Site Name', town: 'Pres ton' });
  });
});
