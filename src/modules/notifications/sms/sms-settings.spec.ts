import { loadConfig } from '../../../config/app-config';
import { SmsSettings } from './sms-settings';

const settings = (env: Record<string, string>): SmsSettings =>
  new SmsSettings(loadConfig({ DATABASE_URL: 'postgres://x@localhost/db', ...env }));

describe('SmsSettings', () => {
  it('writes texts to the outbox without a Twilio account', () => {
    expect(settings({}).twilio).toBeNull();
  });

  it('sends through Twilio when an account is set', () => {
    const s = settings({
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'token',
      TWILIO_FROM_NUMBER: '+447700900999',
    });
    expect(s.twilio).toMatchObject({ from: '+447700900999', authToken: 'token' });
  });
});
