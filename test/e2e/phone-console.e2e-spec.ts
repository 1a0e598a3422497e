import { createSite, createTrust } from '../factories/directory.factory';
import { ensurePhoneServices } from '../factories/phone.factory';
import { createUser, TEST_PASSWORD } from '../factories/user.factory';
import { ConsoleClient } from '../helpers/console-client';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { Call, mobileNumber, TwilioWebhooks, twilioEnv } from '../helpers/twilio-caller';
import { waitFor } from '../helpers/wait-for';
import { PasswordHasher } from '../../src/modules/auth/password-hasher';

/** The incident page shows the desk the calls that made or joined the incident, with their recordings. */
describe('calls on the console’s incident page', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: twilioEnv(null) });
    await ensurePhoneServices(t);
  });
  afterAll(() => t.close());

  async function console(role: 'agent' | 'trust_manager', trustId?: string): Promise<ConsoleClient> {
    const user = await createUser(t.db, t.app.get(PasswordHasher), role, { trustId });
    const client = new ConsoleClient(t);
    expect((await client.signIn(user.email, TEST_PASSWORD)).status).toBe(303);
    return client;
  }

  it('lists the call with its outcome, keys, recording and transcription, for the desk only', async () => {
    const trust = await createTrust(t.db);
    const site = await createSite(t.db, trust);
    const webhooks = new TwilioWebhooks(t);
    const mobile = mobileNumber();
    const call = new Call(webhooks, mobile);
    await call.start();
    await call.press(site.code);
    await call.press('1');
    await call.press('4');
    const record = await call.press('2');
    const thanks = await call.record(65);
    await call.transcribe(record, 'VPN token says expired although it is new.');
    const reference =
      /reference is ((?:[A-Z0-9], )+[A-Z0-9])\./.exec(thanks.says.join(' '))?.[1].split(', ').join('') ?? '';
    const ref = `${reference.slice(0, 3)}-${reference.slice(3)}`;

    const agent = await console('agent');
    const page = await waitFor(async () => {
      const res = await agent.get(`/console/incidents/${ref}`);
      return res.text.includes('VPN token says expired') && res;
    }, 'the page with the transcription');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2 id="calls-title">Calls</h2>');
    expect(page.text).toContain('Reported a fault');
    expect(page.text).toContain(`site ${site.code} · confirm-site 1 · service 4 · impact 2 · recorded`);
    expect(page.text).toMatch(
      /<a href="https:\/\/api\.twilio\.com\/[^"]+\/Recordings\/RE[0-9a-f]{32}" rel="noopener noreferrer">Recording \(1 m 05 s\)<\/a>/,
    );
    expect(page.text).toContain(`href="tel:${mobile}"`);

    const manager = await console('trust_manager', trust.id);
    const theirs = await manager.get(`/console/incidents/${ref}`);
    expect(theirs.status).toBe(200);
    expect(theirs.text).not.toContain('calls-title');
  });
});
