import twilio from 'twilio';
import { CallSweeper } from '../../src/modules/intake/phone/call-sweeper';
import { createContact, createSite, createTrust } from '../factories/directory.factory';
import { ensurePhoneServices } from '../factories/phone.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { fakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { createTestApp, type TestApp } from '../helpers/test-app';
import {
  Call,
  mobileNumber,
  PUBLIC_URL,
  sid,
  TwilioWebhooks,
  twilioEnv,
  TWILIO_TOKEN,
} from '../helpers/twilio-caller';
import { waitFor } from '../helpers/wait-for';

interface CallLogRow {
  outcome: string | null;
  incident_id: string | null;
  ended_at: Date | null;
  twilio_status: string | null;
  duration_seconds: number | null;
  state: { stage: string; steps: { step: string; decision: string }[] };
}

/** The end of calls (a hang-up at every step, the idle sweep), retried and duplicated webhooks, and signatures. */
describe('phone webhooks: hang-ups, retries and signatures', () => {
  let t: TestApp;
  let twilioApi: FakeTwilio;
  let webhooks: TwilioWebhooks;
  let agent: SignedInUser;

  beforeAll(async () => {
    twilioApi = await fakeTwilio();
    t = await createTestApp({ env: twilioEnv(twilioApi, { PHONE_ON_CALL_NUMBERS: 'lan=+441772000998' }) });
    webhooks = new TwilioWebhooks(t);
    agent = await signedInUser(t, 'agent');
    await ensurePhoneServices(t);
  });
  afterAll(async () => {
    await t.close();
    await twilioApi.close();
  });

  const callRow = async (callSid: string): Promise<CallLogRow> =>
    (
      await t.db.query<CallLogRow[]>(
        'SELECT outcome, incident_id, ended_at, twilio_status, duration_seconds, state FROM phone_call WHERE call_sid = $1',
        [callSid],
      )
    )[0];
  const incidentsOf = async (
    callSid: string,
  ): Promise<{ reference: string; summary: string; id: string }[]> =>
    t.db.query(
      `SELECT i.id, 'INC-' || lpad(i.number::text, 6, '0') AS reference, i.summary FROM incident i
        WHERE i.description LIKE '%' || $1 || '%'`,
      [callSid],
    );

  /** A caller whose usual site is a 24x7 hospital, at the menu's start. */
  async function caller(): Promise<{ call: Call; siteCode: string; mobile: string }> {
    const site = await createSite(t.db, await createTrust(t.db), { classCode: 'hospital' });
    const mobile = mobileNumber();
    await createContact(t.db, site, { phone: mobile });
    const call = new Call(webhooks, mobile);
    await call.start();
    return { call, siteCode: site.code, mobile };
  }

  it.each([
    ['confirm-site', [] as string[]],
    ['outage-free service question', ['1']],
  ])('a hang-up at %s leaves the call log only', async (_where, keys) => {
    const { call } = await caller();
    for (const k of keys) await call.press(k);
    expect((await call.hangUp(9)).status).toBe(200);
    const row = await callRow(call.callSid);
    expect(row).toMatchObject({
      outcome: 'hung_up',
      incident_id: null,
      twilio_status: 'completed',
      duration_seconds: 9,
    });
    expect(row.ended_at).not.toBeNull();
    expect(row.state.steps.at(-1)).toMatchObject({
      step: 'status',
      decision: `hung_up_at_${keys.length ? 'service' : 'confirm-site'}`,
    });
  });

  it('a hang-up while keying the site code leaves the call log only', async () => {
    const call = new Call(webhooks, mobileNumber());
    await call.start();
    await call.press('12345678');
    await call.hangUp();
    expect(await callRow(call.callSid)).toMatchObject({ outcome: 'hung_up', incident_id: null });
  });

  it.each([
    ['impact', ['1', '1'], 'Abandoned call: fault, wireless', 'P3'],
    ['the on-call offer', ['1', '2', '1'], 'Abandoned call: site down, network (LAN)', 'P1'],
  ])(
    'a hang-up at %s after the site and service were chosen makes one abandoned incident with a call-back note',
    async (_where, keys, summary, priority) => {
      const { call, mobile } = await caller();
      for (const k of keys) await call.press(k);
      // Twilio retries the status callback, and sends it again with another idempotency token.
      const answers = await Promise.all([call.hangUp(20), call.hangUp(20), call.hangUp(20)]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      await t.app.get(CallSweeper).sweep();
      const made = await incidentsOf(call.callSid);
      expect(made).toHaveLength(1);
      expect(made[0].summary).toBe(summary);
      const row = await callRow(call.callSid);
      expect(row).toMatchObject({ outcome: 'abandoned', incident_id: made[0].id });
      const found = (await t.http().get(`/api/incidents/${made[0].reference}`).set(agent.auth).expect(200))
        .body as { priority: string; description: string };
      expect(found.priority).toBe(priority);
      expect(found.description).toContain('The caller hung up before leaving a message: call them back.');
      const timeline = (
        await t.http().get(`/api/incidents/${made[0].reference}/timeline`).set(agent.auth).expect(200)
      ).body as { items: { kind: string; body: string | null }[] };
      const notes = timeline.items.filter((e) => e.kind === 'internal_note');
      expect(notes).toHaveLength(1);
      expect(notes[0].body).toContain(`Call them back on ${mobile}.`);
      await waitFor(
        () => Promise.resolve(twilioApi.texts.some((x) => x.To === mobile)),
        'the reference by text',
      );
    },
  );

  it('a call that ends while recording becomes the report, and the recording joins it when Twilio delivers it', async () => {
    const { call } = await caller();
    await call.press('1');
    await call.press('3');
    const record = await call.press('2');
    await call.hangUp(31); // before the Record's action arrives
    const [made] = await incidentsOf(call.callSid);
    expect(made.summary).toBe('Phone message: fault, phones');
    expect(await callRow(call.callSid)).toMatchObject({ outcome: 'reported', incident_id: made.id });
    call.last = record;
    const recordingSid = sid('RE');
    const first = await call.record(28, recordingSid);
    call.last = record;
    expect((await call.record(28, recordingSid)).xml).toBe(first.xml); // retried
    expect(await incidentsOf(call.callSid)).toHaveLength(1);
    const found = (await t.http().get(`/api/incidents/${made.reference}`).set(agent.auth).expect(200))
      .body as {
      description: string;
      calls: { recording: { url: string } | null }[];
    };
    expect(found.description).toContain('The call ended while the caller was recording a message.');
    expect(found.description).toContain(`Recording: ${found.calls[0].recording?.url} (28 s)`);
    expect(found.description).not.toContain('to follow');
  });

  it('a call gone silent without a status callback is ended by the sweeper, once', async () => {
    const { call } = await caller();
    await call.press('1');
    await call.press('5');
    await t.db.query(
      "UPDATE phone_call SET last_activity_at = now() - interval '3 hours' WHERE call_sid = $1",
      [call.callSid],
    );
    await t.app.get(CallSweeper).sweep();
    await t.app.get(CallSweeper).sweep();
    expect(await callRow(call.callSid)).toMatchObject({ outcome: 'abandoned', twilio_status: 'idle' });
    await call.hangUp(600); // Twilio's status, late
    expect(await incidentsOf(call.callSid)).toHaveLength(1);
    expect(await callRow(call.callSid)).toMatchObject({ twilio_status: 'idle' });
  });

  it('processes a retried webhook once and answers it as before', async () => {
    const { call } = await caller();
    const greeting = call.last;
    // The first ring again, with the same idempotency token: the same answer, no second call row.
    const again = await webhooks.post(
      '/twilio/voice',
      { CallSid: call.callSid, From: call.from, To: '+441632960000', CallStatus: 'ringing' },
      { idempotencyToken: 'token-1' },
    );
    expect(again.body).toBe(greeting?.xml);
    const service = await call.press('1');
    const retried = await webhooks.post(`${PUBLIC_URL}/twilio/voice/confirm-site?n=1`, {
      CallSid: call.callSid,
      AccountSid: `AC${'0'.repeat(32)}`,
      From: call.from,
      To: '+441632960000',
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
      CallStatus: 'in-progress',
      Digits: '1',
    });
    expect(retried.body).toBe(service.xml);
    await call.press('1');
    const record = await call.press('2');
    // The recording callback delivered twice at once: one incident, the same answer.
    const recordingSid = sid('RE');
    const [a, b] = await Promise.all([call.record(10, recordingSid), call.record(10, recordingSid)]);
    expect(a.xml).toBe(b.xml);
    expect(record.record).not.toBeNull();
    expect(await incidentsOf(call.callSid)).toHaveLength(1);
    const steps = (await callRow(call.callSid)).state.steps.map((s) => s.step);
    expect(steps).toEqual(['answered', 'confirm-site', 'service', 'impact', 'recorded']);
    // An answer out of turn (an old action URL with new keys) changes nothing and gets nothing new.
    const stale = await webhooks.post(`${PUBLIC_URL}/twilio/voice/service?n=2`, {
      CallSid: call.callSid,
      Digits: '4',
    });
    expect(stale.status).toBe(200);
    expect((await callRow(call.callSid)).state.steps).toHaveLength(5);
  });

  it('refuses a missing or wrong signature with 403 and stores nothing', async () => {
    const callSid = sid('CA');
    const params = { CallSid: callSid, From: mobileNumber(), To: '+441632960000', CallStatus: 'ringing' };
    const unsigned = await webhooks.post('/twilio/voice', params, { signature: null });
    expect(unsigned.status).toBe(403);
    expect(JSON.parse(unsigned.body)).toMatchObject({ error: 'PHONE.SIGNATURE_INVALID' });
    const wrongToken = twilio.getExpectedTwilioSignature(
      'another-token',
      `${PUBLIC_URL}/twilio/voice`,
      params,
    );
    expect((await webhooks.post('/twilio/voice', params, { signature: wrongToken })).status).toBe(403);
    const otherUrl = twilio.getExpectedTwilioSignature(
      TWILIO_TOKEN,
      'http://localhost:3000/twilio/voice',
      params,
    );
    expect((await webhooks.post('/twilio/voice', params, { signature: otherUrl })).status).toBe(403);
    const tampered = twilio.getExpectedTwilioSignature(TWILIO_TOKEN, `${PUBLIC_URL}/twilio/voice`, {
      ...params,
      From: '+447700900001',
    });
    expect((await webhooks.post('/twilio/voice', params, { signature: tampered })).status).toBe(403);
    expect(await t.db.query('SELECT 1 FROM phone_call WHERE call_sid = $1', [callSid])).toHaveLength(0);
    expect(
      await t.db.query("SELECT 1 FROM twilio_webhook WHERE key LIKE '%' || $1 || '%'", [callSid]),
    ).toHaveLength(0);

    // A menu answer with its digits changed after signing changes nothing either.
    const { call } = await caller();
    const gather = call.last?.gather?.action ?? '';
    const signed = twilio.getExpectedTwilioSignature(TWILIO_TOKEN, gather, {
      CallSid: call.callSid,
      Digits: '2',
    });
    const forged = await webhooks.post(gather, { CallSid: call.callSid, Digits: '1' }, { signature: signed });
    expect(forged.status).toBe(403);
    expect((await callRow(call.callSid)).state.steps).toHaveLength(1);

    const text = await webhooks.post(
      '/twilio/sms',
      { MessageSid: sid('SM'), From: mobileNumber(), Body: 'x' },
      { signature: 'bad' },
    );
    expect(text.status).toBe(403);
  });

  it('answers 404 for a step the menu does not have, and 400 for a webhook without a CallSid', async () => {
    expect((await webhooks.post('/twilio/voice/nowhere?n=1', { CallSid: sid('CA') })).status).toBe(404);
    const missing = await webhooks.post('/twilio/voice', { From: mobileNumber() });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body)).toMatchObject({ error: 'PHONE.WEBHOOK_INCOMPLETE', field: 'CallSid' });
  });

  it('lists the call log for the desk only, newest first, with keyset pages', async () => {
    const { call } = await caller();
    await call.hangUp();
    const first = await t.http().get('/api/calls').query({ limit: 1 }).set(agent.auth).expect(200);
    const page1 = first.body as { items: { callSid: string }[]; nextCursor: string | null };
    expect(page1.items).toHaveLength(1);
    expect(page1.items[0].callSid).toBe(call.callSid);
    expect(page1.nextCursor).not.toBeNull();
    const second = await t
      .http()
      .get('/api/calls')
      .query({ limit: 1, cursor: page1.nextCursor })
      .set(agent.auth)
      .expect(200);
    expect((second.body as { items: { callSid: string }[] }).items[0].callSid).not.toBe(call.callSid);
    const hungUp = await t.http().get('/api/calls').query({ outcome: 'hung_up' }).set(agent.auth).expect(200);
    expect(
      (hungUp.body as { items: { outcome: string }[] }).items.every((c) => c.outcome === 'hung_up'),
    ).toBe(true);
    await t.http().get('/api/calls').query({ cursor: 'bm90LWEtY3Vyc29y' }).set(agent.auth).expect(400);
    await t.http().get('/api/calls').query({ outcome: 'whatever' }).set(agent.auth).expect(400);
    await t.http().get('/api/calls').expect(401);
    const manager = await signedInUser(t, 'trust_manager', { trustId: (await createTrust(t.db)).id });
    await t.http().get('/api/calls').set(manager.auth).expect(403);
  });
});

describe('phone webhooks without TWILIO_AUTH_TOKEN', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...twilioEnv(null), TWILIO_AUTH_TOKEN: '', TWILIO_ACCOUNT_SID: '' } });
  });
  afterAll(() => t.close());

  it('answers 503 saying why, and the desk runs', async () => {
    const res = await t
      .http()
      .post('/twilio/voice')
      .type('form')
      .send({ CallSid: sid('CA') })
      .expect(503);
    expect(res.body).toMatchObject({ error: 'PHONE.NOT_CONFIGURED' });
    expect((res.body as { message: string }).message).toContain('TWILIO_AUTH_TOKEN');
    await t
      .http()
      .post('/twilio/sms')
      .type('form')
      .send({ MessageSid: sid('SM') })
      .expect(503);
    await t.http().get('/health').expect(200);
  });
});

describe('phone webhooks with abandoned-call incidents off', () => {
  let t: TestApp;
  let webhooks: TwilioWebhooks;

  beforeAll(async () => {
    t = await createTestApp({ env: twilioEnv(null, { PHONE_ABANDONED_CALL_INCIDENTS: 'false' }) });
    webhooks = new TwilioWebhooks(t);
    await ensurePhoneServices(t);
  });
  afterAll(() => t.close());

  it('keeps an abandoned call in the call log only', async () => {
    const site = await createSite(t.db, await createTrust(t.db));
    const mobile = mobileNumber();
    await createContact(t.db, site, { phone: mobile });
    const call = new Call(webhooks, mobile);
    await call.start();
    await call.press('1');
    await call.press('1');
    await call.hangUp();
    const [row] = await t.db.query<CallLogRow[]>(
      'SELECT outcome, incident_id, state FROM phone_call WHERE call_sid = $1',
      [call.callSid],
    );
    expect(row).toMatchObject({ outcome: 'hung_up', incident_id: null });
    expect(row.state.steps.at(-1)?.decision).toBe('abandoned_at_impact_not_logged');
  });
});
