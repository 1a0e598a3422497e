import { randomBytes } from 'node:crypto';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { buildMail, processed, send, smtpPort } from '../helpers/email-intake';
import { createTestApp, type TestApp } from '../helpers/test-app';

const RELAY = 'mx.relay.test';

/**
 * A supplier's mail reply threads onto the incident by the supplier's own reference, matched with the pattern
 * stored on the supplier (PATCH /api/suppliers/{code} referencePattern), not only INTAKE_SUPPLIER_PATTERNS.
 */
describe('supplier mail replies threaded by the stored reference pattern', () => {
  let t: TestApp;
  let port: number;
  let agent: SignedInUser;
  let admin: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { INTAKE_TRUSTED_AUTHSERV_IDS: RELAY } });
    port = smtpPort(t);
    agent = await signedInUser(t, 'agent');
    admin = await signedInUser(t, 'admin');
    // Mail that threads nowhere becomes an incident on intake's default service.
    await t.db.query(
      "INSERT INTO service (code, name, description) VALUES ('lan', 'LAN', '') ON CONFLICT (code) DO NOTHING",
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a reference pattern that is not a regular expression, or matches empty text, with 400 naming the field', async () => {
    const supplier = await createSupplier(t.db);
    for (const [pattern, reason] of [
      ['NOC-(\\d{6}', 'is not a valid regular expression'],
      ['NOC-\\d*|', 'must not match empty text'],
    ]) {
      const res = await t
        .http()
        .patch(`/api/suppliers/${supplier.code}`)
        .set(admin.auth)
        .send({ referencePattern: pattern })
        .expect(400);
      expect(JSON.stringify(res.body)).toContain('referencePattern');
      expect(JSON.stringify(res.body)).toContain(reason);
    }
    const [row] = await t.db.query('SELECT reference_pattern FROM supplier WHERE id = $1', [supplier.id]);
    expect(row.reference_pattern).toBeNull();
  });

  it("threads a verified supplier reply carrying the supplier's reference onto the incident, by the stored pattern", async () => {
    const code = `s${randomBytes(4).toString('hex')}`;
    const domain = `${code}.supplier.test`;
    const supplier = await createSupplier(t.db, { code, email: `desk@${domain}` });
    const site = await createSite(t.db, await createTrust(t.db));
    const { reference } = await createIncident(
      t,
      agent.auth,
      incidentBody(site, await createService(t.db, supplier)),
    );
    const theirs = `NOC-${String(Date.now()).slice(-6)}`;
    await t.db.query(
      `INSERT INTO escalation (incident_id, supplier_id, status, supplier_reference)
       SELECT i.id, $2, 'sent', $3 FROM incident i WHERE i.number = $1`,
      [Number(reference.slice(4)), supplier.id, theirs],
    );
    const reply = async () => {
      const mail = buildMail({
        from: `engineer@${domain}`,
        subject: `Update on your ticket ${theirs}: engineer booked for 14:00`,
        body: `Ticket ${theirs}: engineer booked. ${randomBytes(3).toString('hex')}`,
        headers: { 'Authentication-Results': `${RELAY}; dkim=pass header.d=${domain} header.s=sel1` },
      });
      await send(port, mail.raw);
      return (await processed(t.db, mail.messageId as string))[0];
    };

    // No pattern stored and none configured for this supplier: their reference means nothing to intake.
    const before = await reply();
    expect(before).toMatchObject({ decision: 'created', error: null });
    expect(before.reference).not.toBe(reference);

    await t
      .http()
      .patch(`/api/suppliers/${code}`)
      .set(admin.auth)
      .send({ referencePattern: 'NOC-\\d{6}' })
      .expect(200);
    const after = await reply();
    expect(after).toMatchObject({ decision: 'appended', reference });
    expect(after.log.find((e) => e.step === 5)?.reason).toContain('supplier');
  });
});
