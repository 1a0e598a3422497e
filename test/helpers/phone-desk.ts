import { ensurePhoneServices } from '../factories/phone.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { fakeTwilio, type FakeTwilio } from './fake-twilio';
import { createTestApp, type TestApp, type TestAppOptions } from './test-app';
import { TwilioWebhooks, twilioEnv } from './twilio-caller';

/** The desk with phone intake on, Twilio's REST API standing in on loopback, and an agent to read incidents. */
export interface PhoneDesk {
  t: TestApp;
  /** Outbound texts land here; each one's status callback is posted (signed) back to the desk. */
  twilioApi: FakeTwilio;
  twilio: TwilioWebhooks;
  agent: SignedInUser;
  close(): Promise<void>;
}

/** Starts it: `env` on top of twilioEnv's, `options` as createTestApp takes them. */
export async function phoneDesk(
  env: Record<string, string> = {},
  options: Omit<TestAppOptions, 'env'> = {},
): Promise<PhoneDesk> {
  const twilioApi = await fakeTwilio();
  const t = await createTestApp({ ...options, env: twilioEnv(twilioApi, env) });
  const twilio = new TwilioWebhooks(t);
  twilioApi.onStatus = async (url, form) => {
    await twilio.post(url, form);
  };
  const agent = await signedInUser(t, 'agent');
  await ensurePhoneServices(t);
  return {
    t,
    twilioApi,
    twilio,
    agent,
    close: async () => {
      await t.close();
      await twilioApi.close();
    },
  };
}
