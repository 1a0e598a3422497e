import { randomBytes } from 'node:crypto';
import {
  createContact,
  createSite,
  createSupplier,
  createTrust,
  uniqueEmail,
} from '../factories/directory.factory';
import { signedInUser, TEST_PASSWORD, type SignedInUser } from '../factories/user.factory';
import { ConsoleClient } from '../helpers/console-client';
import { buildMail, processed, processedByMarker, send, smtpPort } from '../helpers/email-intake';
import { createTestApp, type TestApp } from '../helpers/test-app';

const RELAY = 'mx.relay.test';

/**
 * Mail that claims to be from a desk agent or a supplier acts as one only when the relay in front of the desk
 * vouches for the sender (Authentication-Results of a trusted authserv-id); otherwise it is an unverified
 * sender's mail like any other. And an empty message is a logged decision, not an incident.
 */
describe('email intake: sender identity and empty mail', () => {
  let t: TestApp;
  let port: number;
  let agent: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { INTAKE_TRUSTED_AUTHSERV_IDS: `other.test, ${RELAY}` } });
    port = smtpPort(t);
    agent = await signedInUser(t, 'agent');
    await t.db.query(
      "INSERT INTO service (code, name, description) VALUES ('lan', 'LAN', '') ON CONFLICT (code) DO NOTHING",
    );
  });
  afterAll(async () => {
    await t.close();
  });

  /** An incident a reporter opened by email: its reference and id. */
  async function reportedIncident(): Promise<{ reference: string; id: string }> {
    const contact = await createContact(t.db, await createSite(t.db, await createTrust(t.db)));
    const mail = buildMail({ from: contact.email as string, subject: 'LAN port dead in room 4' });
    await send(port, mail.raw);
    const [row] = await processed(t.db, mail.messageId as string);
    return { reference: row.reference as string, id: row.incident_id as string };
  }

  const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);
  const sentBy = async (from: string, subject: string, headers: Record<string, string> = {}) => {
    const mail = buildMail({ from, subject, headers, body: `Update ${randomBytes(3).toString('hex')}` });
    await send(port, mail.raw);
    const [row] = await processed(t.db, mail.messageId as string);
    const [{ sender_verified }] = await t.db.query(
      'SELECT sender_verified FROM inbound_message WHERE id = $1',
      [row.id],
    );
    return { row, senderVerified: sender_verified as boolean | null };
  };
  const repliesOn = async (incidentId: string) =>
    t.db.query<{ kind: string; data: Record<string, unknown> | null }[]>(
      "SELECT kind, data FROM incident_event WHERE incident_id = $1 AND kind IN ('public_reply', 'internal_note') ORDER BY id",
      [incidentId],
    );

  it('an agent address without the relay’s word is an unverified stranger: a new incident, not a reply on someone else’s', async () => {
    const incident = await reportedIncident();
    const forged = await sentBy(agent.user.email, `Re: [${incident.reference}] LAN port dead`);
    expect(forged.row.decision).toBe('created');
    expect(forged.row.reference).not.toBe(incident.reference);
    expect(forged.senderVerified).toBe(false);
    expect(forged.row.log.find((e) => e.step === 5)?.reason).toContain('not verified');
    expect(forged.row.log.find((e) => e.step === 6)?.reason).toContain('unverified sender');

    // A trusted-looking header from another authserv-id, or a trusted one saying fail, does not help either.
    const otherRelay = await sentBy(agent.user.email, `Re: [${incident.reference}] again`, {
      'Authentication-Results': `evil.example; dmarc=pass header.from=${domainOf(agent.user.email)}`,
    });
    expect(otherRelay.row.decision).toBe('created');
    const failed = await sentBy(agent.user.email, `Re: [${incident.reference}] again`, {
      'Authentication-Results': `${RELAY}; dmarc=fail header.from=${domainOf(agent.user.email)}`,
    });
    expect(failed.row.decision).toBe('created');
    expect(await repliesOn(incident.id)).toEqual([]);
  });

  it('an agent verified by the relay (dmarc=pass) threads onto the incident, and the reply says so', async () => {
    const incident = await reportedIncident();
    const verified = await sentBy(agent.user.email, `Re: [${incident.reference}] LAN port dead`, {
      'Authentication-Results': `${RELAY}; spf=pass smtp.mailfrom=${domainOf(agent.user.email)}; dmarc=pass (p=reject) header.from=${domainOf(agent.user.email)}`,
    });
    expect(verified.row).toMatchObject({ decision: 'appended', reference: incident.reference });
    expect(verified.senderVerified).toBe(true);
    const [reply] = await repliesOn(incident.id);
    expect(reply).toMatchObject({ kind: 'public_reply', data: { email: { senderVerified: true } } });
  });

  it('a supplier address adds an internal note only when verified (dkim=pass for its domain); otherwise it is a new incident', async () => {
    const incident = await reportedIncident();
    const supplierEmail = uniqueEmail('noc');
    const supplier = await createSupplier(t.db, { email: supplierEmail });
    await t.db.query('INSERT INTO escalation (incident_id, supplier_id) VALUES ($1, $2)', [
      incident.id,
      supplier.id,
    ]);

    const forged = await sentBy(supplierEmail, `RE: [${incident.reference}] engineer dispatched`);
    expect(forged.row.decision).toBe('created');
    expect(forged.senderVerified).toBe(false);
    expect(await repliesOn(incident.id)).toEqual([]);

    const verified = await sentBy(supplierEmail, `RE: [${incident.reference}] engineer dispatched`, {
      'Authentication-Results': `${RELAY}; dkim=pass (2048-bit key) header.d=${domainOf(supplierEmail)} header.s=sel1`,
    });
    expect(verified.row).toMatchObject({ decision: 'appended', reference: incident.reference });
    expect((await repliesOn(incident.id)).map((e) => e.kind)).toEqual(['internal_note']);
  });

  it('marks an unverified reporter’s reply as such on the timeline entry', async () => {
    const contact = await createContact(t.db, await createSite(t.db, await createTrust(t.db)));
    const first = buildMail({ from: contact.email as string, subject: 'Phones dead' });
    await send(port, first.raw);
    const [created] = await processed(t.db, first.messageId as string);
    const reply = await sentBy(contact.email as string, `Re: [${created.reference}] Phones dead`);
    expect(reply.row.decision).toBe('appended');
    const [entry] = await repliesOn(created.incident_id as string);
    expect(entry.data).toMatchObject({ email: { inboundMessageId: reply.row.id, senderVerified: false } });

    // The console's incident page says so beside the author; the reporter's first mail made the incident.
    const browser = new ConsoleClient(t);
    expect((await browser.signIn(agent.user.email, TEST_PASSWORD)).status).toBe(303);
    const page = await browser.get(`/console/incidents/${created.reference as string}`);
    expect(page.status).toBe(200);
    expect(page.text.match(/>unverified sender</g)).toHaveLength(1);
  });

  it('stores and logs an empty message (no subject, text or attachment) as `empty`, never an incident', async () => {
    const marker = `empty-${randomBytes(4).toString('hex')}`;
    const raw = [
      `From: <${uniqueEmail('blank')}>`,
      'To: <servicedesk@rosedesk.local>',
      `Message-ID: <${marker}@nhs.example>`,
      `Date: ${new Date().toUTCString()}`,
      'Subject: ',
      'MIME-Version: 1.0',
      'Content-Type: text/plain',
      '',
      '   ',
      '',
    ].join('\r\n');
    await send(port, raw);
    const row = await processedByMarker(t.db, marker);
    expect(row).toMatchObject({ status: 'processed', decision: 'empty', incident_id: null });
    expect(row.log.map((e) => e.decision)).toContain('empty');
  });
});
