import { createContact, createSite, createTrust, uniqueDigits } from '../factories/directory.factory';
import { ensurePhoneServices, siteWithLine } from '../factories/phone.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { fakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { mobileNumber, PUBLIC_URL, sid, TwilioWebhooks, twilioEnv } from '../helpers/twilio-caller';
import { waitFor } from '../helpers/wait-for';

interface IncidentJson {
  reference: string;
  channel: string;
  service: string;
  summary: string;
  description: string;
  site: { code: string };
  reporter: { name: string; phone: string | null };
}

interface TimelineJson {
  items: {
    kind: string;
    event: string | null;
    body: string | null;
    author: string;
    data: Record<string, unknown> | null;
  }[];
}

const CREATED =
  /^RoseDesk: thank you, your fault is logged as (INC-\d{6,})\. Reply to this text to add to it\. Reply STOP to stop texts\.$/;

/** Texts to the desk's number: new faults, replies threaded onto open incidents, STOP, START and HELP. */
describe('SMS intake', () => {
  let t: TestApp;
  let twilioApi: FakeTwilio;
  let webhooks: TwilioWebhooks;
  let agent: SignedInUser;

  beforeAll(async () => {
    twilioApi = await fakeTwilio();
    t = await createTestApp({ env: twilioEnv(twilioApi) });
    webhooks = new TwilioWebhooks(t);
    twilioApi.onStatus = async (url, form) => {
      await webhooks.post(url, form);
    };
    agent = await signedInUser(t, 'agent');
    await ensurePhoneServices(t);
  });
  afterAll(async () => {
    await t.close();
    await twilioApi.close();
  });

  const incident = async (reference: string): Promise<IncidentJson> =>
    (await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200)).body as IncidentJson;
  const timeline = async (reference: string): Promise<TimelineJson> =>
    (await t.http().get(`/api/incidents/${reference}/timeline`).set(agent.auth).expect(200))
      .body as TimelineJson;
  const reply = (reference: string, body: string) =>
    t.http().post(`/api/incidents/${reference}/replies`).set(agent.auth).send({ body }).expect(201);
  const textsTo = (number: string): Record<string, string>[] =>
    twilioApi.texts.filter((x) => x.To === number);

  /** A text that makes an incident: its reference, from the TwiML's Message. */
  async function report(from: string, body: string): Promise<string> {
    const answer = await webhooks.text(from, body);
    expect(answer.status).toBe(200);
    const message = answer.twiml?.messages[0];
    const match = CREATED.exec(message?.body ?? '');
    if (!match) throw new Error(`No reference in ${answer.body}`);
    expect(message?.statusCallback).toMatch(new RegExp(`^${PUBLIC_URL}/twilio/sms/status\\?incident=`));
    return match[1];
  }

  it('makes an incident from SITE <code> and the fault, and answers with the reference', async () => {
    const site = await createSite(t.db, await createTrust(t.db));
    const from = mobileNumber();
    const reference = await report(from, `SITE ${site.code} wifi down on ward 3`);
    const found = await incident(reference);
    expect(found).toMatchObject({
      channel: 'sms',
      site: { code: site.code },
      service: 'wireless',
      summary: 'wifi down on ward 3',
      reporter: { name: 'Unknown texter', phone: from },
    });
    expect(found.description).toBe(
      'wifi down on ward 3\n\n(Sent by text message; site from the code in the text.)',
    );
  });

  it('threads a later text from the same number onto its open incident as a public reply', async () => {
    const site = await createSite(t.db, await createTrust(t.db));
    const from = mobileNumber();
    await createContact(t.db, site, { name: 'Sister Mary Holt', phone: from });
    const reference = await report(from, 'The phones on the children’s ward are dead');
    expect((await incident(reference)).site.code).toBe(site.code);
    const answer = await webhooks.text(from, 'Still no dial tone, now on ward 4 too');
    expect(answer.twiml?.messages.map((m) => m.body)).toEqual([`RoseDesk: added to ${reference}.`]);
    const entries = (await timeline(reference)).items.filter((e) => e.kind === 'public_reply');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      body: 'Still no dial tone, now on ward 4 too',
      author: 'Sister Mary Holt',
    });

    // An agent's reply goes back by text; the texter's own replies do not echo.
    await reply(reference, 'An engineer is on the way.');
    await waitFor(() => Promise.resolve(textsTo(from).length === 1), 'the update text');
    expect(textsTo(from)[0].Body).toBe(`RoseDesk ${reference} update: An engineer is on the way.`);

    // SITE always starts a new fault, even with one open.
    const second = await report(from, `SITE ${site.code} printer network point broken`);
    expect(second).not.toBe(reference);
    // Two open now: a reference in the text picks one, else the latest gets it and the answer says how to choose.
    const named = await webhooks.text(from, `${reference} fixed now thanks`);
    expect(named.twiml?.messages[0].body).toBe(`RoseDesk: added to ${reference}.`);
    const latest = await webhooks.text(from, 'any news?');
    expect(latest.twiml?.messages[0].body).toBe(
      `RoseDesk: added to ${second}. To add to another fault, start your text with its reference.`,
    );
  });

  it('places a text from a site line at that site, and one from an unknown number in triage', async () => {
    const { site, line } = await siteWithLine(t);
    const fromLine = await report(line, 'network down in reception');
    expect((await incident(fromLine)).site.code).toBe(site.code);

    const stranger = await report(mobileNumber(), 'cannot log in to the VPN from home');
    const found = await incident(stranger);
    expect(found.site.code).toBe(t.config.env.INTAKE_TRIAGE_SITE_CODE);
    expect(found.service).toBe('remote_access');
    expect((await timeline(stranger)).items.map((e) => e.event)).toContain('needs_triage');

    const badCode = await report(mobileNumber(), `SITE 9${uniqueDigits(7)} switch on fire`);
    expect((await incident(badCode)).description).toContain('in the text was not found');
  });

  it('honours STOP for every text, HELP always, and START again', async () => {
    const site = await createSite(t.db, await createTrust(t.db));
    const from = mobileNumber();
    const reference = await report(from, `SITE ${site.code} wifi dropping`);

    const help = await webhooks.text(from, 'help');
    expect(help.twiml?.messages[0].body).toMatch(
      /^RoseDesk service desk: text SITE, your site code and the fault/,
    );

    const stop = await webhooks.text(from, 'Stop');
    expect(stop.twiml?.messages.map((m) => m.body)).toEqual([
      'RoseDesk: you will get no more texts from us. Text START to get them again.',
    ]);
    await reply(reference, 'Access point replaced.');
    await t
      .http()
      .post(`/api/incidents/${reference}/transitions`)
      .set(agent.auth)
      .send({ to: 'resolved', resolution: { code: 'fixed', notes: 'AP replaced' } })
      .expect(200);
    // A stopped number gets nothing: not queued at all, and no answer to its own texts.
    expect(await t.db.query('SELECT 1 FROM outbound_sms WHERE to_number = $1', [from])).toHaveLength(0);
    const quiet = await webhooks.text(from, `SITE ${site.code} another fault`);
    expect(quiet.twiml?.messages).toEqual([]);
    expect((await webhooks.text(from, 'HELP')).twiml?.messages).toHaveLength(1);

    const start = await webhooks.text(from, 'START');
    expect(start.twiml?.messages[0].body).toBe(
      'RoseDesk: texts from us are back on. Text HELP for help, STOP to stop them.',
    );
    const again = await report(from, `SITE ${site.code} wifi gone again`);
    await reply(again, 'Looking now.');
    await waitFor(() => Promise.resolve(textsTo(from).length === 1), 'a text after START');

    // With Twilio's own opt-out handling on, Twilio has answered the keyword: we add nothing, but keep the STOP.
    const handled = await webhooks.text(from, 'STOP', { OptOutType: 'STOP' });
    expect(handled.twiml?.messages).toEqual([]);
    expect(await t.db.query('SELECT 1 FROM sms_opt_out WHERE phone_number = $1', [from])).toHaveLength(1);
  });

  it('acts on a retried text once and answers it as before', async () => {
    const site = await createSite(t.db, await createTrust(t.db));
    const messageSid = sid('SM');
    const params = {
      MessageSid: messageSid,
      SmsSid: messageSid,
      AccountSid: `AC${'0'.repeat(32)}`,
      From: mobileNumber(),
      To: '+441632960000',
      Body: `SITE ${site.code} LAN switch down`,
    };
    const [a, b] = await Promise.all([
      webhooks.post('/twilio/sms', params),
      webhooks.post('/twilio/sms', params),
    ]);
    const c = await webhooks.post('/twilio/sms', params, { idempotencyToken: 'again' });
    expect(a.body).toBe(b.body);
    expect(c.body).toBe(a.body);
    expect(await t.db.query('SELECT 1 FROM inbound_sms WHERE message_sid = $1', [messageSid])).toHaveLength(
      1,
    );
    const created = await t.db.query(
      "SELECT 1 FROM incident WHERE description LIKE 'LAN switch down%' AND site_id = $1",
      [site.id],
    );
    expect(created).toHaveLength(1);
  });

  it('records a failed delivery on the incident’s timeline', async () => {
    const site = await createSite(t.db, await createTrust(t.db));
    const from = mobileNumber();
    const reference = await report(from, `SITE ${site.code} wifi slow`);
    twilioApi.statusFor = (to) => (to === from ? 'failed' : 'delivered');
    await reply(reference, 'Can you tell us which room?');
    await waitFor(() => Promise.resolve(textsTo(from).length === 1), 'the update text');
    await twilioApi.settled();
    // The same status again (Twilio retries) is recorded once.
    const text = textsTo(from)[0];
    const retried = await webhooks.post(text.StatusCallback, {
      MessageSid: text.Sid,
      MessageStatus: 'failed',
      ErrorCode: '30006',
      To: from,
    });
    expect(retried.status).toBe(200);
    const statuses = (await timeline(reference)).items.filter((e) => e.event === 'sms_status');
    expect(statuses).toHaveLength(1);
    expect(statuses[0].data).toMatchObject({ status: 'failed', errorCode: '30006' });
    twilioApi.statusFor = () => 'delivered';
  });
});
