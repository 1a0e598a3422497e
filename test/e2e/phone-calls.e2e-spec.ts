import { createContact, createSite, createTrust, uniqueDigits } from '../factories/directory.factory';
import { siteWithLine } from '../factories/phone.factory';
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
 * Whole conversations as Twilio holds them: signed form posts (the twilio library's own signatures) from the first
 * ring to the recording and the late transcription, the TwiML asserted at each step and the incident at the end.
 */
describe('phone calls through the voice menu', () => {
  let desk: PhoneDesk;
  let t: TestApp;
  let twilioApi: FakeTwilio;
  let twilio: TwilioWebhooks;
  let agent: SignedInUser;

  beforeAll(async () => {
    desk = await phoneDesk({
      PHONE_RECORDING_MAX_SECONDS: '90',
      PHONE_DESK_NAME: 'the Lancashire network desk',
    });
    ({ t, twilioApi, twilio, agent } = desk);
  });
  afterAll(() => desk.close());

  const incident = async (reference: string): Promise<IncidentJson> =>
    (await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200)).body as IncidentJson;
  const textsTo = (number: string): Record<string, string>[] =>
    twilioApi.texts.filter((x) => x.To === number);

  it('answers a known site line in British English, takes the report and reads the reference back', async () => {
    const { site, line } = await siteWithLine(t, { name: `Fulwood Clinic ${uniqueDigits(4)}` });
    const call = new Call(twilio, line);

    const greeting = await call.start();
    expect(greeting.says[0]).toBe(
      'Thank you for calling the Lancashire network desk. Calls to this line are recorded, and messages are transcribed, to log your fault.',
    );
    expect(greeting.says[1]).toBe(`Press 1 if you are calling about ${site.name}, or 2 for another site.`);
    expect(greeting.voices.every((v) => v.voice === 'Polly.Amy' && v.language === 'en-GB')).toBe(true);
    expect(greeting.gather).toEqual({
      action: `${PUBLIC_URL}/twilio/voice/confirm-site?n=1`,
      numDigits: '1',
      finishOnKey: null,
    });

    const service = await call.press('1');
    expect(service.gather?.action).toBe(`${PUBLIC_URL}/twilio/voice/service?n=2`);
    expect(service.says).toEqual([
      'Which service is the fault with? Press 1 for wireless, 2 for the network or LAN, 3 for phones, 4 for remote access, 5 for mobile, or 0 for something else.',
    ]);
    const impact = await call.press('1');
    expect(impact.gather?.action).toBe(`${PUBLIC_URL}/twilio/voice/impact?n=3`);
    expect(impact.says).toEqual([
      'Press 1 if the whole site or many people are affected, or 2 if it is just you.',
    ]);

    const record = await call.press('2');
    expect(record.gather).toBeNull();
    expect(record.record).toEqual({
      action: `${PUBLIC_URL}/twilio/voice/recorded?n=4`,
      transcribeCallback: `${PUBLIC_URL}/twilio/voice/transcription?n=4`,
      maxLength: '90',
      transcribe: 'true',
    });
    expect(record.redirect).toBe(`${PUBLIC_URL}/twilio/voice/recorded?n=4`);

    const thanks = await call.record(23);
    expect(thanks.hangup).toBe(true);
    const reference = spokenReference(thanks);
    expect(thanks.says[0]).toMatch(/^Thank you\. Your reference is I, N, C, (\d, )+\d\.$/);
    // A ward's landline gets no text: the voice does not promise one.
    expect(thanks.says.join(' ')).not.toContain('text message');

    let found = await incident(reference);
    expect(found).toMatchObject({
      channel: 'phone',
      impact: 'one_user',
      priority: 'P3',
      service: 'wireless',
      site: { code: site.code },
      reporter: { name: 'Unknown caller', phone: line },
      summary: 'Phone message: fault, wireless',
    });
    expect(found.description).toContain(`Site: ${site.name} (${site.code}), from the calling line`);
    expect(found.calls).toHaveLength(1);
    expect(found.calls[0]).toMatchObject({
      callSid: call.callSid,
      outcome: 'reported',
      recording: { durationSeconds: 23 },
      transcription: null,
    });
    expect(found.description).toContain(`Recording: ${found.calls[0].recording?.url} (23 s)`);
    expect(found.calls[0].steps.map((s) => [s.step, s.digits, s.decision])).toEqual([
      ['answered', null, 'site_offered_from_line'],
      ['confirm-site', '1', 'site_confirmed'],
      ['service', '1', 'service_wireless'],
      ['impact', '2', 'impact_one_user'],
      ['recorded', null, 'message_recorded'],
    ]);
    expect(textsTo(line)).toHaveLength(0);

    // The call ends; the transcription arrives afterwards and joins the description.
    expect((await call.hangUp(95)).status).toBe(200);
    const late = await call.transcribe(record, 'The wifi on ward three has been down since eight.');
    expect(late.status).toBe(200);
    await waitFor(
      async () => (await incident(reference)).description.includes('wifi on ward three'),
      'the transcription in the description',
    );
    found = await incident(reference);
    expect(found.description).toContain(
      'Transcription of the message (automatic, may contain mistakes):\nThe wifi on ward three has been down since eight.',
    );
    expect(found.calls[0]).toMatchObject({
      durationSeconds: 95,
      transcription: { status: 'completed', text: 'The wifi on ward three has been down since eight.' },
    });
  });

  it('finds a known contact’s usual site, texts the reference and records the text’s delivery', async () => {
    const site = await createSite(t.db, await createTrust(t.db));
    const mobile = mobileNumber();
    await createContact(t.db, site, { name: 'Nurse Ada Pennington', phone: mobile });
    const call = new Call(twilio, mobile);
    const greeting = await call.start();
    expect(greeting.says[1]).toBe(`Press 1 if you are calling about ${site.name}, or 2 for another site.`);
    await call.press('1');
    await call.press('2');
    const record = await call.press('1');
    expect(record.record).not.toBeNull();
    const thanks = await call.record();
    expect(thanks.says).toContain('We will also send it to you by text message.');
    const reference = spokenReference(thanks);
    const found = await incident(reference);
    expect(found).toMatchObject({
      impact: 'site_down',
      priority: 'P1',
      service: 'lan',
      reporter: { name: 'Nurse Ada Pennington', phone: mobile },
    });
    expect(found.description).toContain('from the caller’s usual site in the directory');
    const text = await waitFor(() => Promise.resolve(textsTo(mobile)[0]), 'the reference by text');
    expect(text.Body).toBe(
      `RoseDesk: your fault is logged as ${reference}. Reply to this text to add to it. Reply STOP to stop texts.`,
    );
    expect(text.StatusCallback).toMatch(
      new RegExp(`^${PUBLIC_URL}/twilio/sms/status\\?incident=[0-9a-f-]{36}&sms=[0-9a-f-]{36}$`),
    );
    await twilioApi.settled();
    const timeline = (await t.http().get(`/api/incidents/${reference}/timeline`).set(agent.auth).expect(200))
      .body as { items: { event: string | null; data: Record<string, unknown> | null }[] };
    expect(timeline.items.filter((e) => e.event === 'sms_status').map((e) => e.data?.status)).toEqual([
      'delivered',
    ]);
  });

  it('asks an unknown caller for the site code, refuses a wrong one, then confirms the right one', async () => {
    const site = await createSite(t.db, await createTrust(t.db), {
      name: `Ribbleton Surgery ${uniqueDigits(4)}`,
    });
    const call = new Call(twilio, mobileNumber());
    const greeting = await call.start();
    expect(greeting.says.slice(1)).toEqual(['Please key your site code, then press the hash key.']);
    expect(greeting.gather).toMatchObject({
      action: `${PUBLIC_URL}/twilio/voice/site?n=1`,
      finishOnKey: '#',
    });
    const wrong = await call.press('99999999');
    expect(wrong.says).toEqual([
      'Sorry, that site code was not recognised.',
      'Please key your site code, then press the hash key.',
    ]);
    const confirm = await call.press(site.code);
    expect(confirm.says).toEqual([
      `That is ${site.name}. Press 1 if that is right, or 2 to key the code again.`,
    ]);
    expect(confirm.gather?.action).toBe(`${PUBLIC_URL}/twilio/voice/confirm-site?n=3`);
    await call.press('1');
    await call.press('3');
    await call.press('2');
    const reference = spokenReference(await call.record());
    const found = await incident(reference);
    expect(found).toMatchObject({
      site: { code: site.code },
      service: 'voice',
      reporter: { name: 'Unknown caller' },
    });
    expect(found.description).toContain('from the site code the caller keyed');
  });

  it('takes the message anyway after three wrong site codes, and the incident goes to triage', async () => {
    const call = new Call(twilio, mobileNumber());
    await call.start();
    await call.press('11111111');
    await call.press(); // nothing keyed
    const anyway = await call.press('22222222');
    expect(anyway.says[0]).toBe(
      'Sorry, we could not find that site. You can still leave a message, and the desk will find it.',
    );
    expect(anyway.gather?.action).toContain('/twilio/voice/service?n=');
    await call.press('0');
    await call.press('2');
    const reference = spokenReference(await call.record());
    const found = await incident(reference);
    expect(found.site.code).toBe(t.config.env.INTAKE_TRIAGE_SITE_CODE);
    expect(found.service).toBe(t.config.env.PHONE_DEFAULT_SERVICE);
    expect(found.description).toContain('Site: not found after three site codes; needs triage.');
    const timeline = (await t.http().get(`/api/incidents/${reference}/timeline`).set(agent.auth).expect(200))
      .body as { items: { event: string | null }[] };
    expect(timeline.items.map((e) => e.event)).toContain('needs_triage');
  });
});
