import { Writable } from 'node:stream';
import { createContact, createSite, createTrust, uniqueDigits } from '../factories/directory.factory';
import type { SignedInUser } from '../factories/user.factory';
import type { FakeTwilio } from '../helpers/fake-twilio';
import { phoneDesk, type PhoneDesk } from '../helpers/phone-desk';
import type { TestApp } from '../helpers/test-app';
import { Call, mobileNumber, PUBLIC_URL, type TwilioWebhooks } from '../helpers/twilio-caller';
import { waitFor } from '../helpers/wait-for';

/** Two on-call engineers for the LAN, one for wireless (PHONE_ON_CALL_NUMBERS names a service again to add one). */
const LAN_ON_CALL = ['+447700900111', '+447700900112'];
const WIRELESS_ON_CALL = '+447700900113';

/**
 * P1 alerts to the on-call list: a P1 made by any channel, or an incident raised to P1, texts each on-call number of
 * its service once, through the outbox (the real twilio client posting to a local stand-in for Twilio's REST API),
 * with the delivery status on the timeline; never again for the same incident, never to a number that sent STOP,
 * and never a number in the log.
 */
describe('P1 alerts to the on-call list', () => {
  let desk: PhoneDesk;
  let t: TestApp;
  let twilioApi: FakeTwilio;
  let twilio: TwilioWebhooks;
  let agent: SignedInUser;
  const log: string[] = [];

  beforeAll(async () => {
    desk = await phoneDesk(
      { PHONE_ON_CALL_NUMBERS: `lan=${LAN_ON_CALL[0]}, wireless=${WIRELESS_ON_CALL},lan=${LAN_ON_CALL[1]}` },
      {
        log: new Writable({
          write(chunk: Buffer, _encoding, done) {
            log.push(chunk.toString('utf8'));
            done();
          },
        }),
      },
    );
    ({ t, twilioApi, twilio, agent } = desk);
  });
  afterAll(() => desk.close());

  /** The texts the stand-in accepted about this incident. */
  const alertsFor = (reference: string): Record<string, string>[] =>
    twilioApi.texts.filter((x) => x.Body.includes(` ${reference} `));

  async function newSite(): Promise<{ code: string; name: string; id: string }> {
    return createSite(t.db, await createTrust(t.db), { name: `Royal Preston Hospital ${uniqueDigits(4)}` });
  }

  async function create(
    siteCode: string,
    service: string,
    impact: string,
    summary = 'Whole site off the network',
  ): Promise<{ reference: string; priority: string }> {
    const res = await t
      .http()
      .post('/api/incidents')
      .set(agent.auth)
      .send({
        siteCode,
        service,
        impact,
        urgency: 'high',
        summary,
        description: 'Every PC on the ward lost its connection; patient records cannot be opened.',
        reporter: { name: 'Switchboard' },
      })
      .expect(201);
    return res.body as { reference: string; priority: string };
  }

  const setPriority = (reference: string, priority: string) =>
    t
      .http()
      .patch(`/api/incidents/${reference}`)
      .set(agent.auth)
      .send({ priority, priorityReason: 'Agreed with the trust' })
      .expect(200);

  /** Waits until every queued text is sent (the outbox rows leave pending), then for their status callbacks. */
  async function allSent(): Promise<void> {
    await waitFor(async () => {
      const [row] = await t.db.query<{ n: number }[]>(
        "SELECT count(*)::int AS n FROM outbound_sms WHERE status = 'pending'",
      );
      return row.n === 0;
    }, 'every queued text sent');
    await twilioApi.settled();
  }

  it('texts each on-call number of the service once when a P1 is created, with its delivery on the timeline', async () => {
    const site = await newSite();
    const long = `Whole site off the network ${'and the ward phones are down too '.repeat(4)}`.trim();
    const p1 = await create(site.code, 'lan', 'site_down', long);
    expect(p1.priority).toBe('P1');
    await waitFor(() => Promise.resolve(alertsFor(p1.reference).length === 2), 'two alerts');
    await allSent();
    const alerts = alertsFor(p1.reference);
    expect(alerts.map((x) => x.To).sort()).toEqual([...LAN_ON_CALL].sort());
    for (const alert of alerts) {
      expect(alert.Body).toBe(`RoseDesk P1 ${p1.reference} at ${site.name}: ${long.slice(0, 67)}...`);
      expect(alert.Body).not.toContain('patient');
      expect(alert.Body.length).toBeLessThanOrEqual(160);
      expect(alert.StatusCallback).toMatch(
        new RegExp(`^${PUBLIC_URL}/twilio/sms/status\\?incident=[0-9a-f-]{36}&sms=[0-9a-f-]{36}$`),
      );
    }
    expect(twilioApi.texts.filter((x) => x.To === WIRELESS_ON_CALL && x.Body.includes(p1.reference))).toEqual(
      [],
    );
    const timeline = (
      await t.http().get(`/api/incidents/${p1.reference}/timeline`).set(agent.auth).expect(200)
    ).body as { items: { event: string | null; data: Record<string, unknown> | null }[] };
    expect(timeline.items.filter((e) => e.event === 'sms_status').map((e) => e.data?.status)).toEqual([
      'delivered',
      'delivered',
    ]);
  });

  it('texts nobody for a P3, nor for a P1 of a service without on-call numbers', async () => {
    const site = await newSite();
    const p3 = await create(site.code, 'lan', 'one_user');
    expect(p3.priority).toBe('P3');
    const noOnCall = await create(site.code, 'mobile', 'site_down');
    expect(noOnCall.priority).toBe('P1');
    await allSent();
    expect(alertsFor(p3.reference)).toEqual([]);
    expect(alertsFor(noOnCall.reference)).toEqual([]);
  });

  it('texts when an incident is raised to P1, in the same transaction, and not again after P1 → P2 → P1', async () => {
    const site = await newSite();
    const raised = await create(site.code, 'wireless', 'one_user');
    expect(raised.priority).toBe('P3');
    await setPriority(raised.reference, 'P2');
    await allSent();
    expect(alertsFor(raised.reference)).toEqual([]);

    await setPriority(raised.reference, 'P1');
    // Queued in the transaction of the change: the row is there when the PATCH has answered.
    const rows = await t.db.query<{ to_number: string; purpose: string }[]>(
      `SELECT s.to_number, s.purpose FROM outbound_sms s JOIN incident i ON i.id = s.incident_id
       WHERE i.number = $1::bigint`,
      [Number(raised.reference.slice(4))],
    );
    expect(rows).toEqual([{ to_number: WIRELESS_ON_CALL, purpose: 'on_call_p1' }]);
    await allSent();
    expect(alertsFor(raised.reference).map((x) => [x.To, x.Body])).toEqual([
      [WIRELESS_ON_CALL, `RoseDesk P1 ${raised.reference} at ${site.name}: Whole site off the network`],
    ]);

    await setPriority(raised.reference, 'P2');
    await setPriority(raised.reference, 'P1');
    await t
      .http()
      .patch(`/api/incidents/${raised.reference}`)
      .set(agent.auth)
      .send({ summary: 'Wireless down on every floor' })
      .expect(200);
    await allSent();
    expect(alertsFor(raised.reference)).toHaveLength(1);
  });

  it('alerts for a P1 made by a call, and leaves out an on-call number that texted STOP', async () => {
    const stopped = await twilio.text(LAN_ON_CALL[1], 'STOP');
    expect(stopped.status).toBe(200);
    try {
      const site = await createSite(t.db, await createTrust(t.db), { classCode: 'community_health' });
      const mobile = mobileNumber();
      await createContact(t.db, site, { phone: mobile });
      const call = new Call(twilio, mobile);
      await call.start();
      await call.press('1'); // the site
      await call.press('2'); // LAN
      const record = await call.press('1'); // the whole site
      expect(record.record).not.toBeNull();
      await call.record(20);
      const [made] = await t.db.query<{ number: string; priority: string }[]>(
        'SELECT i.number::text, i.priority FROM phone_call c JOIN incident i ON i.id = c.incident_id WHERE c.call_sid = $1',
        [call.callSid],
      );
      expect(made.priority).toBe('P1');
      const reference = `INC-${made.number.padStart(6, '0')}`;
      await waitFor(() => Promise.resolve(alertsFor(reference).length === 1), 'the alert');
      await allSent();
      expect(alertsFor(reference).map((x) => x.To)).toEqual([LAN_ON_CALL[0]]);
    } finally {
      expect((await twilio.text(LAN_ON_CALL[1], 'START')).status).toBe(200);
    }
  });

  it('logs the incident and how many texts, never an on-call number', () => {
    const text = log.join('');
    expect(text).toContain('P1 alert to on-call queued');
    for (const number of [...LAN_ON_CALL, WIRELESS_ON_CALL]) {
      expect(text).not.toContain(number);
      expect(text).not.toContain(number.slice(1));
    }
  });
});
