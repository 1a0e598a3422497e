import { Writable } from 'node:stream';
import { createContact, createSite, createTrust } from '../factories/directory.factory';
import { ensurePhoneServices, siteWithLine } from '../factories/phone.factory';
import { signedInUser } from '../factories/user.factory';
import { fakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { Call, mobileNumber, TwilioWebhooks, twilioEnv } from '../helpers/twilio-caller';
import { waitFor } from '../helpers/wait-for';

/**
 * Phone numbers are personal data: the app's log (as `npm start` writes it) of calls and texts holds CallSids,
 * MessageSids and decisions, never a caller's number, name, message, transcription or site code keyed.
 */
describe('logs of calls and texts', () => {
  let t: TestApp;
  let twilioApi: FakeTwilio;
  const log: string[] = [];
  const lines = (): Record<string, unknown>[] =>
    log
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    twilioApi = await fakeTwilio();
    t = await createTestApp({
      env: twilioEnv(twilioApi),
      log: new Writable({
        write(chunk: Buffer, _encoding, done) {
          log.push(chunk.toString('utf8'));
          done();
        },
      }),
    });
    await ensurePhoneServices(t);
  });
  afterAll(async () => {
    await t.close();
    await twilioApi.close();
  });

  it('holds ids and decisions only', async () => {
    const webhooks = new TwilioWebhooks(t);
    twilioApi.onStatus = async (url, form) => {
      await webhooks.post(url, form);
    };
    const site = await createSite(t.db, await createTrust(t.db));
    const mobile = mobileNumber();
    const secrets = {
      mobile,
      name: 'Gwendolyn Thistlewood',
      keyedCode: site.code,
      transcription: 'Theatre four monitors cannot reach the PACS server',
      text: 'Sluice room access point blinking amber',
      reply: 'Engineer Barnaby Quickfall is on his way',
      line: '',
    };
    await createContact(t.db, site, { name: secrets.name, phone: mobile });

    // A call keying the site code, a message and its transcription; an agent's reply texted to the caller.
    const call = new Call(webhooks, mobileNumber());
    await call.start();
    await call.press(secrets.keyedCode);
    await call.press('1');
    await call.press('1');
    const record = await call.press('2');
    const thanks = await call.record();
    await call.transcribe(record, secrets.transcription);
    await call.hangUp();
    expect(thanks.hangup).toBe(true);

    // A text from the known contact, and a reply to it that goes back by text.
    const { line } = await siteWithLine(t);
    secrets.line = line;
    await new Call(webhooks, line).start();
    const answer = await webhooks.text(mobile, `SITE ${site.code} ${secrets.text}`);
    const reference = /INC-\d+/.exec(answer.twiml?.messages[0].body ?? '')?.[0] ?? '';
    const agent = await signedInUser(t, 'agent');
    await t
      .http()
      .post(`/api/incidents/${reference}/replies`)
      .set(agent.auth)
      .send({ body: secrets.reply })
      .expect(201);
    await waitFor(() => Promise.resolve(twilioApi.texts.some((x) => x.To === mobile)), 'the update text');
    await twilioApi.settled();

    const decisions = await waitFor(() => {
      const seen = lines().filter((l) => l.msg === 'Phone webhook' || l.msg === 'Text received');
      return Promise.resolve(seen.length >= 7 && seen);
    }, 'the webhook decision lines');
    expect(decisions.find((l) => l.callSid === call.callSid && l.step === 'recorded')).toMatchObject({
      decision: 'message_recorded_incident_created',
    });
    const requests = lines()
      .filter((l) => l.msg === 'request completed')
      .map((l) => (l.req as { url: string }).url);
    expect(requests).toContain('/twilio/voice/site?n=1');

    const whole = log.join('');
    const leaked = Object.entries(secrets).filter(([, value]) => value !== '' && whole.includes(value));
    expect(leaked.map(([what]) => what)).toEqual([]);
    // No number in any other spelling either (without the +, or the UK national form).
    for (const number of [mobile, line, call.from]) {
      expect(whole).not.toContain(number.slice(1));
      expect(whole).not.toContain(`0${number.slice(3)}`);
    }
  });
});
