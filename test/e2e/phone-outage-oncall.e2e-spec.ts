import { createContact, createSite, createTrust, uniqueDigits } from '../factories/directory.factory';
import type { SignedInUser } from '../factories/user.factory';
import type { FakeTwilio } from '../helpers/fake-twilio';
import { phoneDesk, type PhoneDesk } from '../helpers/phone-desk';
import type { TestApp } from '../helpers/test-app';
import { Call, mobileNumber, PUBLIC_URL, TwilioWebhooks, type Twiml } from '../helpers/twilio-caller';
import { waitFor } from '../helpers/wait-for';

interface IncidentJson {
  reference: string;
  channel: string;
  impact: string;
  priority: string;
  service: string;
  summary: string;
  description: string;
  site: { code: string };
  reporter: { name: string; phone: string | null };
  calls: {
    callSid: string;
    outcome: string | null;
    recording: { url: string; durationSeconds: number | null } | null;
    transcription: { status: string | null; text: string | null } | null;
    steps: { step: string; digits: string | null; decision: string }[];
    durationSeconds: number | null;
    endedAt: string | null;
  }[];
}

const ON_CALL = '+441772000999';
const REFERENCE_SPOKEN = /reference is ((?:[A-Z0-9], )+[A-Z0-9])\./;

/** The reference a thank-you reads out digit by digit, put back together. */
function spokenReference(twiml: Twiml): string {
  const said = twiml.says.join(' ');
  const match = REFERENCE_SPOKEN.exec(said);
  if (!match) throw new Error(`No reference read out in: ${said}`);
  const chars = match[1].split(', ').join('');
  return `${chars.slice(0, 3)}-${chars.slice(3)}`;
}

/**
 * A known outage at the caller's site (text updates on it afterwards) and on-call for a site down at a 24x7 site,
 * as Twilio holds the conversations: signed form posts, the TwiML asserted at each step and the incident at the end.
 */
describe('phone calls: known outages and on-call', () => {
  let desk: PhoneDesk;
  let t: TestApp;
  let twilioApi: FakeTwilio;
  let twilio: TwilioWebhooks;
  let agent: SignedInUser;

  beforeAll(async () => {
    desk = await phoneDesk({
      PHONE_RECORDING_MAX_SECONDS: '90',
      PHONE_DESK_NAME: 'the Lancashire network desk',
      PHONE_ON_CALL_NUMBERS: `lan=${ON_CALL}`,
    });
    ({ t, twilioApi, twilio, agent } = desk);
  });
  afterAll(() => desk.close());

  const incident = async (reference: string): Promise<IncidentJson> =>
    (await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200)).body as IncidentJson;
  const textsTo = (number: string): Record<string, string>[] =>
    twilioApi.texts.filter((x) => x.To === number);

  /** An open P1 at the site, logged through the API, and a contact of the site on a mobile. */
  async function outageAt(
    reportedAt?: Date,
  ): Promise<{ reference: string; siteName: string; mobile: string }> {
    const site = await createSite(t.db, await createTrust(t.db), {
      name: `Chorley Hospital ${uniqueDigits(4)}`,
    });
    const mobile = mobileNumber();
    await createContact(t.db, site, { name: 'Dr Lily Farrow', phone: mobile });
    const created = await t
      .http()
      .post('/api/incidents')
      .set(agent.auth)
      .send({
        siteCode: site.code,
        service: 'lan',
        impact: 'site_down',
        urgency: 'high',
        summary: 'Whole site off the network',
        description: 'Every PC at the site lost its connection.',
        reporter: { name: 'Switchboard' },
        ...(reportedAt ? { reportedAt: reportedAt.toISOString() } : {}),
      })
      .expect(201);
    return { reference: (created.body as { reference: string }).reference, siteName: site.name, mobile };
  }

  it('tells a caller about a known outage at their site and texts them its updates and resolution', async () => {
    const outage = await outageAt();
    const call = new Call(twilio, outage.mobile);
    await call.start();
    const known = await call.press('1');
    const spoken = outage.reference.replace('-', '').split('').join(', ');
    expect(known.says).toEqual([
      `We already know about a fault at ${outage.siteName}, reference ${spoken}.`,
      'Press 1 to get text message updates on it, or 2 to report something else.',
    ]);
    expect(known.gather?.action).toBe(`${PUBLIC_URL}/twilio/voice/outage?n=2`);
    const subscribed = await call.press('1');
    expect(subscribed.says).toEqual([
      `Thank you. We will text you updates on reference ${spoken}, and when it is fixed.`,
      'Goodbye.',
    ]);
    expect(subscribed.hangup).toBe(true);
    await waitFor(() => Promise.resolve(textsTo(outage.mobile).length === 1), 'the subscription text');
    expect(textsTo(outage.mobile)[0].Body).toBe(
      `RoseDesk: you will get text updates on ${outage.reference}, the fault we know about at ${outage.siteName}. Reply STOP to stop them.`,
    );
    expect((await call.hangUp(30)).status).toBe(200);

    const found = await incident(outage.reference);
    expect(found.calls.map((c) => [c.callSid, c.outcome])).toEqual([[call.callSid, 'subscribed']]);

    // Updates and the resolution reach the caller by text.
    await t
      .http()
      .post(`/api/incidents/${outage.reference}/replies`)
      .set(agent.auth)
      .send({ body: 'An engineer from Virgin Media Business is on site now.' })
      .expect(201);
    await t
      .http()
      .post(`/api/incidents/${outage.reference}/notes`)
      .set(agent.auth)
      .send({ body: 'Internal: the engineer is a contractor.' })
      .expect(201);
    await t
      .http()
      .post(`/api/incidents/${outage.reference}/transitions`)
      .set(agent.auth)
      .send({ to: 'resolved', resolution: { code: 'supplier_fixed', notes: 'Line card replaced.' } })
      .expect(200);
    await waitFor(
      () => Promise.resolve(textsTo(outage.mobile).length === 3),
      'the update and resolution texts',
    );
    expect(
      textsTo(outage.mobile)
        .map((x) => x.Body)
        .slice(1),
    ).toEqual([
      `RoseDesk ${outage.reference} update: An engineer from Virgin Media Business is on site now.`,
      `RoseDesk: ${outage.reference} (Whole site off the network) is resolved. Thank you for your patience.`,
    ]);
    await twilioApi.settled();
    const timeline = (
      await t.http().get(`/api/incidents/${outage.reference}/timeline`).set(agent.auth).expect(200)
    ).body as { items: { event: string | null; data: Record<string, unknown> | null }[] };
    const events = timeline.items.map((e) => e.event);
    expect(events).toContain('sms_subscribed');
    // The caller's three texts, and the P1 alert to LAN's on-call number when the outage was logged.
    expect(events.filter((e) => e === 'sms_status')).toHaveLength(4);
    expect(
      textsTo(ON_CALL).filter((x) => x.Body.startsWith(`RoseDesk P1 ${outage.reference} at `)),
    ).toHaveLength(1);
  });

  it('a hang-up at the known-outage question leaves the call log only: no incident, no subscription', async () => {
    const outage = await outageAt();
    const call = new Call(twilio, outage.mobile);
    await call.start();
    const known = await call.press('1');
    expect(known.gather?.action).toBe(`${PUBLIC_URL}/twilio/voice/outage?n=2`);
    expect((await call.hangUp(12)).status).toBe(200);

    const rows = await t.db.query<
      { outcome: string; incident_id: string | null; last: { decision: string } }[]
    >(`SELECT outcome, incident_id, state->'steps'->-1 AS last FROM phone_call WHERE call_sid = $1`, [
      call.callSid,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'hung_up', incident_id: null });
    expect(rows[0].last.decision).toBe('hung_up_at_outage');
    const made = await t.db.query<unknown[]>(
      `SELECT 1 FROM incident WHERE description LIKE '%' || $1 || '%'`,
      [call.callSid],
    );
    expect(made).toHaveLength(0);
    const found = await incident(outage.reference);
    expect(found.calls.map((c) => c.callSid)).not.toContain(call.callSid);
    await twilioApi.settled();
    expect(textsTo(outage.mobile)).toHaveLength(0);
  });

  it('lets the caller report something else, and knows no outage older than 12 hours', async () => {
    const outage = await outageAt();
    const other = new Call(twilio, outage.mobile);
    await other.start();
    await other.press('1');
    const service = await other.press('2');
    expect(service.gather?.action).toContain('/twilio/voice/service?n=');

    const old = await outageAt(new Date(Date.now() - 13 * 3_600_000));
    const call = new Call(twilio, old.mobile);
    await call.start();
    const next = await call.press('1');
    expect(next.says[0]).toMatch(/^Which service is the fault with\?/);
  });

  it('puts a site-down caller at a 24x7 site through to on-call, and takes a message when nobody answers', async () => {
    const site = await createSite(t.db, await createTrust(t.db), { classCode: 'hospital' });
    const mobile = mobileNumber();
    await createContact(t.db, site, { phone: mobile });
    const call = new Call(twilio, mobile);
    await call.start();
    await call.press('1');
    await call.press('2'); // LAN has an on-call number
    const offer = await call.press('1'); // the whole site
    expect(offer.says).toEqual([
      'Press 1 to be put through to the on-call engineer now, or 2 to leave a message.',
    ]);
    expect(offer.gather?.action).toBe(`${PUBLIC_URL}/twilio/voice/connect?n=4`);
    const dial = await call.press('1');
    expect(dial.dial).toEqual({ action: `${PUBLIC_URL}/twilio/voice/dialled?n=5`, number: ON_CALL });
    const reference = spokenReference(dial);
    expect((await incident(reference)).calls[0].outcome).toBe('put_through');

    const message = await call.dialled('no-answer');
    expect(message.says[0]).toBe('Sorry, nobody answered.');
    expect(message.record).not.toBeNull();
    const thanks = await call.record(12);
    expect(spokenReference(thanks)).toBe(reference);
    const found = await incident(reference);
    expect(found).toMatchObject({ priority: 'P1', impact: 'site_down', service: 'lan' });
    expect(found.calls).toHaveLength(1);
    expect(found.calls[0]).toMatchObject({ outcome: 'reported', recording: { durationSeconds: 12 } });
    expect(found.description).toContain(found.calls[0].recording?.url);
    const all = (await t.http().get('/api/calls').query({ incident: reference }).set(agent.auth).expect(200))
      .body as { items: unknown[] };
    expect(all.items).toHaveLength(1);

    // Answered: the call ends after the conversation, with its incident. (Another site: this one has a known
    // outage now, the P1 just logged.)
    const other = await createSite(t.db, await createTrust(t.db), { classCode: 'mental_health' });
    const otherMobile = mobileNumber();
    await createContact(t.db, other, { phone: otherMobile });
    const answered = new Call(twilio, otherMobile);
    await answered.start();
    await answered.press('1');
    await answered.press('2');
    await answered.press('1');
    await answered.press('1');
    const bye = await answered.dialled('completed');
    expect(bye.says).toEqual(['Thank you for calling. Goodbye.']);
    expect(bye.hangup).toBe(true);

    // Not a 24x7 site (community health keeps GP hours): straight to the message.
    const clinic = await createSite(t.db, await createTrust(t.db));
    const clinicMobile = mobileNumber();
    await createContact(t.db, clinic, { phone: clinicMobile });
    const daytime = new Call(twilio, clinicMobile);
    await daytime.start();
    await daytime.press('1');
    await daytime.press('2');
    expect((await daytime.press('1')).record).not.toBeNull();
  });
});
