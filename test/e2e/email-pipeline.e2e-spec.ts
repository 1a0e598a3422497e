import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createContact,
  createService,
  createSite,
  createSupplier,
  createTrust,
  uniqueDigits,
  uniqueEmail,
} from '../factories/directory.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import {
  buildMail,
  DESK,
  outboxMail,
  processed,
  send,
  smtpPort,
  uniqueMessageId,
} from '../helpers/email-intake';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** The pipeline end to end: real SMTP in, incidents, replies, acknowledgements and the intake log out. */
describe('email intake pipeline', () => {
  let t: TestApp;
  let port: number;
  let outbox: string;
  let agent: SignedInUser;

  beforeAll(async () => {
    outbox = mkdtempSync(join(tmpdir(), 'rosedesk-email-outbox-'));
    t = await createTestApp({
      env: {
        OUTBOX_DIR: outbox,
        SMTP_URL: '',
        REOPEN_WINDOW_MINUTES: '60',
        INTAKE_ACK_PER_RECIPIENT_PER_HOUR: '2',
      },
    });
    port = smtpPort(t);
    agent = await signedInUser(t, 'agent');
    // Services the keyword rules name, so the tests do not depend on the demo catalogue being loaded.
    for (const code of ['wireless', 'voice', 'lan']) {
      await t.db.query(
        "INSERT INTO service (code, name, description) VALUES ($1, $1, '') ON CONFLICT (code) DO NOTHING",
        [code],
      );
    }
  });
  afterAll(async () => {
    await t.close();
    rmSync(outbox, { recursive: true, force: true });
  });

  const incident = async (reference: string): Promise<Record<string, unknown>> =>
    (await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200)).body as Record<
      string,
      unknown
    >;
  const timeline = async (
    reference: string,
  ): Promise<{ kind: string; event?: string | null; body?: string | null }[]> =>
    (
      (await t.http().get(`/api/incidents/${reference}/timeline`).set(agent.auth).expect(200)).body as {
        items: { kind: string; event?: string | null; body?: string | null }[];
      }
    ).items;

  it('creates an incident at the known contact’s usual site, with the service from the subject, and acknowledges it with threading headers', async () => {
    const trust = await createTrust(t.db);
    const site = await createSite(t.db, trust);
    const contact = await createContact(t.db, site);
    const { raw, messageId } = buildMail({
      from: contact.email as string,
      subject: 'Phones dead at reception',
      body: 'Hi,\n\nNo dial tone on any phone.\n\nThanks',
    });
    await send(port, raw);
    const [row] = await processed(t.db, messageId as string);
    expect(row).toMatchObject({
      status: 'processed',
      decision: 'created',
      step: 7,
      kind: 'human',
      dedupe_key: messageId,
    });
    const body = await incident(row.reference as string);
    expect(body).toMatchObject({
      channel: 'email',
      service: 'voice',
      summary: 'Phones dead at reception',
      site: { code: site.code },
    });
    expect(row.log.map((e) => e.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 7]);

    const acks = await waitFor(() => {
      const found = outboxMail(outbox, `In-Reply-To: <${messageId}>`);
      return Promise.resolve(found.length > 0 ? found : undefined);
    }, 'the acknowledgement in the outbox');
    expect(acks).toHaveLength(1);
    expect(acks[0]).toContain(`[${row.reference}]`);
    expect(acks[0]).toMatch(/Auto-Submitted: auto-replied/);
    expect(acks[0]).toMatch(/X-Loop: servicedesk@rosedesk.local/);
    expect(acks[0]).toContain(`References: <${messageId}>`);
  });

  it('places mail by a written site code first, then by the sender’s trust domain when the trust has one site, else in triage', async () => {
    const trust = await createTrust(t.db, { emailDomains: [`t${uniqueDigits(6)}.nhs.example`] });
    const only = await createSite(t.db, trust);
    const other = await createSite(t.db, await createTrust(t.db), { code: uniqueDigits(5) });
    const domain = trust.emailDomains[0];

    const byCode = buildMail({ from: `someone@${domain}`, subject: `Wifi down at SITE ${other.code}` });
    await send(port, byCode.raw);
    const [coded] = await processed(t.db, byCode.messageId as string);
    expect((await incident(coded.reference as string)).site).toMatchObject({ code: other.code });

    const byDomain = buildMail({ from: `someone.else@${domain}`, subject: 'Network point dead' });
    await send(port, byDomain.raw);
    const [placed] = await processed(t.db, byDomain.messageId as string);
    expect((await incident(placed.reference as string)).site).toMatchObject({ code: only.code });
    expect(placed.log.find((e) => e.step === 6)?.decision).toBe('site_by_domain');

    const stranger = buildMail({ from: uniqueEmail('stranger'), subject: 'Something is broken' });
    await send(port, stranger.raw);
    const [triaged] = await processed(t.db, stranger.messageId as string);
    expect((await incident(triaged.reference as string)).site).toMatchObject({ code: '0000' });
    expect(triaged.reason).toContain('needs triage');
    expect((await timeline(triaged.reference as string)).some((e) => e.event === 'needs_triage')).toBe(true);
    const [{ verified }] = await t.db.query('SELECT verified FROM contact WHERE email = $1', [
      stranger.raw.match(/<([^>]+)>/)?.[1],
    ]);
    expect(verified).toBe(false);
  });

  it('threads a reply on our Message-ID onto the incident as the reporter’s public reply, trimmed, without a new acknowledgement', async () => {
    const site = await createSite(t.db, await createTrust(t.db));
    const contact = await createContact(t.db, site);
    const first = buildMail({ from: contact.email as string, subject: 'Wi-Fi down' });
    await send(port, first.raw);
    const [created] = await processed(t.db, first.messageId as string);
    const [{ message_id: ackId }] = await t.db.query(
      'SELECT message_id FROM outbound_message WHERE incident_id = $1',
      [created.incident_id],
    );

    const reply = buildMail({
      from: contact.email as string,
      subject: `Re: [${created.reference}] We have logged your fault: Wi-Fi down`,
      inReplyTo: ackId,
      references: `<${first.messageId}> ${ackId}`,
      body: 'It is back now, thanks.\n\nOn Tue, 1 Jun 2021 at 09:00, RoseDesk <servicedesk@rosedesk.local> wrote:\n> We have logged your fault',
    });
    await send(port, reply.raw);
    const [appended] = await processed(t.db, reply.messageId as string);
    expect(appended).toMatchObject({ decision: 'appended', reference: created.reference });
    expect(appended.log.find((e) => e.step === 5)?.reason).toContain('message-id');
    const replies = (await timeline(created.reference as string)).filter((e) => e.kind === 'public_reply');
    expect(replies.map((r) => r.body)).toEqual(['It is back now, thanks.']);
    const [{ n }] = await t.db.query(
      'SELECT count(*)::int AS n FROM outbound_message WHERE incident_id = $1',
      [created.incident_id],
    );
    expect(n).toBe(1);
  });

  it('threads on [INC-…] in the subject only for the reporter or a copied address; a stranger quoting it gets a new incident', async () => {
    const site = await createSite(t.db, await createTrust(t.db));
    const contact = await createContact(t.db, site);
    const colleague = uniqueEmail('colleague');
    const first = buildMail({ from: contact.email as string, cc: colleague, subject: 'Phones down' });
    await send(port, first.raw);
    const [created] = await processed(t.db, first.messageId as string);

    const fromColleague = buildMail({
      from: colleague,
      subject: `RE: [${created.reference}] Phones down`,
      body: 'Same here on the first floor.',
    });
    await send(port, fromColleague.raw);
    expect((await processed(t.db, fromColleague.messageId as string))[0]).toMatchObject({
      decision: 'appended',
      reference: created.reference,
    });

    const fromStranger = buildMail({
      from: uniqueEmail('stranger'),
      subject: `[${created.reference}] Phones down`,
    });
    await send(port, fromStranger.raw);
    const [stranger] = await processed(t.db, fromStranger.messageId as string);
    expect(stranger.decision).toBe('created');
    expect(stranger.reference).not.toBe(created.reference);
    expect(stranger.log.find((e) => e.step === 5)?.reason).toContain('not the reporter');
  });

  it('reopens a resolved incident on a reply within the window; a reply to a closed one starts a new linked incident', async () => {
    const site = await createSite(t.db, await createTrust(t.db));
    const contact = await createContact(t.db, site);
    const first = buildMail({ from: contact.email as string, subject: 'LAN down' });
    await send(port, first.raw);
    const [created] = await processed(t.db, first.messageId as string);
    const ref = created.reference as string;
    await t
      .http()
      .post(`/api/incidents/${ref}/transitions`)
      .set(agent.auth)
      .send({ to: 'resolved', resolution: { code: 'fixed', notes: 'Switch replaced' } })
      .expect(200);

    const again = buildMail({
      from: contact.email as string,
      subject: `Re: [${ref}] LAN down`,
      body: 'It has gone again.',
    });
    await send(port, again.raw);
    expect((await processed(t.db, again.messageId as string))[0]).toMatchObject({
      decision: 'reopened',
      reference: ref,
    });
    expect((await incident(ref)).status).toBe('in_progress');

    await t.db.query("UPDATE incident SET status = 'closed', closed_at = now() WHERE id = $1", [
      created.incident_id,
    ]);
    const late = buildMail({
      from: contact.email as string,
      subject: `Re: [${ref}] LAN down`,
      body: 'And again.',
    });
    await send(port, late.raw);
    const [linked] = await processed(t.db, late.messageId as string);
    expect(linked.decision).toBe('created_linked');
    expect(linked.reference).not.toBe(ref);
    const [{ related_incident_id }] = await t.db.query(
      'SELECT related_incident_id FROM incident WHERE id = $1',
      [linked.incident_id],
    );
    expect(related_incident_id).toBe(created.incident_id);
  });

  it('notes an out-of-office reply on the open incident’s timeline, never as a reply, and sends nothing', async () => {
    const site = await createSite(t.db, await createTrust(t.db));
    const contact = await createContact(t.db, site);
    const first = buildMail({ from: contact.email as string, subject: 'Wi-Fi down in clinic 3' });
    await send(port, first.raw);
    const [created] = await processed(t.db, first.messageId as string);
    const [{ message_id: ackId }] = await t.db.query(
      'SELECT message_id FROM outbound_message WHERE incident_id = $1',
      [created.incident_id],
    );

    const ooo = buildMail({
      from: contact.email as string,
      subject: `Automatic reply: [${created.reference}] We have logged your fault`,
      inReplyTo: ackId,
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
      body: 'I am on annual leave until Monday.',
    });
    await send(port, ooo.raw);
    const [noted] = await processed(t.db, ooo.messageId as string);
    expect(noted).toMatchObject({
      decision: 'auto_reply_noted',
      step: 2,
      kind: 'automated',
      reference: created.reference,
    });
    const events = await timeline(created.reference as string);
    expect(events.filter((e) => e.kind === 'public_reply')).toHaveLength(0);
    expect(events.some((e) => e.event === 'auto_reply_received')).toBe(true);

    const bulk = buildMail({
      from: 'news@list.example',
      headers: { Precedence: 'bulk', 'List-Id': '<news.list.example>' },
      subject: 'Newsletter',
    });
    await send(port, bulk.raw);
    expect((await processed(t.db, bulk.messageId as string))[0]).toMatchObject({
      decision: 'automated_recorded',
      incident_id: null,
    });
  });

  it('drops our own mail coming back, and caps acknowledgements per recipient', async () => {
    const own = buildMail({ messageId: `${uniqueDigits()}@rosedesk.local`, from: 'someone@nhs.example' });
    await send(port, own.raw);
    expect((await processed(t.db, own.messageId as string))[0]).toMatchObject({
      decision: 'dropped_own_mail',
      step: 4,
      incident_id: null,
    });

    const sender = uniqueEmail('busy');
    const rows = [];
    for (const subject of ['Wi-Fi one', 'Wi-Fi two', 'Wi-Fi three']) {
      const mail = buildMail({ from: sender, subject });
      await send(port, mail.raw);
      rows.push((await processed(t.db, mail.messageId as string))[0]);
    }
    expect(rows.map((r) => r.decision)).toEqual(['created', 'created', 'created']);
    expect(rows.map((r) => r.log.find((e) => e.step === 8)?.decision)).toEqual(['send', 'send', 'not_sent']);
    expect(rows[2].log.find((e) => e.step === 8)?.reason).toContain('recipient_rate_limited');
  });

  it('emails an agent’s public reply to the reporter and the copied addresses, and the answer threads back', async () => {
    const site = await createSite(t.db, await createTrust(t.db));
    const contact = await createContact(t.db, site);
    const copied = uniqueEmail('manager');
    const first = buildMail({
      from: contact.email as string,
      to: `${DESK}, ${copied}`,
      subject: 'Voicemail not working',
    });
    await send(port, first.raw);
    const [created] = await processed(t.db, first.messageId as string);
    const ref = created.reference as string;
    await t
      .http()
      .post(`/api/incidents/${ref}/replies`)
      .set(agent.auth)
      .send({ body: 'Can you try again now?' })
      .expect(201);
    const [reply] = await waitFor(async () => {
      const rows: { message_id: string; cc_addresses: string[]; to_address: string }[] = await t.db.query(
        "SELECT message_id, cc_addresses, to_address FROM outbound_message WHERE incident_id = $1 AND template = 'incident-reply'",
        [created.incident_id],
      );
      return rows.length ? rows : undefined;
    }, 'the agent reply');
    expect(reply).toMatchObject({ to_address: contact.email, cc_addresses: [copied] });

    const answer = buildMail({
      from: copied,
      subject: `Re: [${ref}] Voicemail not working`,
      inReplyTo: reply.message_id,
      body: 'Works now.',
    });
    await send(port, answer.raw);
    expect((await processed(t.db, answer.messageId as string))[0]).toMatchObject({
      decision: 'appended',
      reference: ref,
    });
  });

  it('lists the intake log by status with paging; keeps a failed message with its error, and runs it again after the fix', async () => {
    const trust = await createTrust(t.db);
    const site = await createSite(t.db, trust);
    const contact = await createContact(t.db, site);
    const broken = await createTestApp({ env: { INTAKE_DEFAULT_SERVICE: `gone${uniqueDigits(4)}` } });
    try {
      const mail = buildMail({
        from: contact.email as string,
        subject: 'Printer jammed',
        body: 'Paper everywhere.',
        messageId: uniqueMessageId(),
      });
      await send(smtpPort(broken), mail.raw);
      const [failed] = await processed(t.db, mail.messageId as string, 1, 30_000);
      expect(failed).toMatchObject({ status: 'failed' });
      expect(failed.error).toContain('service');

      const list = await t
        .http()
        .get('/api/intake/messages?status=failed&limit=1')
        .set(agent.auth)
        .expect(200);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0]).toMatchObject({ status: 'failed' });
      expect(list.body).toHaveProperty('nextCursor');
      await t.http().get('/api/intake/messages').expect(401);

      await createService(t.db, await createSupplier(t.db), {
        code: broken.config.env.INTAKE_DEFAULT_SERVICE,
      });
      await broken.http().post(`/api/intake/messages/${failed.id}/retry`).set(agent.auth).expect(202);
      const [done] = await waitFor(
        async () => {
          const rows = await processed(t.db, mail.messageId as string);
          return rows[0].status === 'processed' ? rows : undefined;
        },
        'the retried message',
        30_000,
      );
      expect(done).toMatchObject({ decision: 'created', error: null });
      const again = await t
        .http()
        .post(`/api/intake/messages/${failed.id}/retry`)
        .set(agent.auth)
        .expect(409);
      expect(again.body.error).toBe('INTAKE.NOT_RETRYABLE');
    } finally {
      await broken.close();
    }
  });
});
