import { DataSource } from 'typeorm';
import { NotificationsService } from '../../src/modules/notifications/notifications.service';
import { SmsSweeper } from '../../src/modules/notifications/sms/sms-sweeper';
import { fakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

interface SmsRow {
  status: string;
  attempts: number;
  provider_id: string | null;
  last_error: string | null;
}

/** Texts go through the same outbox mechanism as mail: a row in the caller's transaction, a job, a sweep. */
describe('outbound texts (the outbox mechanism shared with mail)', () => {
  let t: TestApp;
  let twilio: FakeTwilio;
  let notifications: NotificationsService;

  beforeAll(async () => {
    twilio = await fakeTwilio({ failFirst: 2, failBody: 'retry me' });
    t = await createTestApp({
      env: {
        TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
        TWILIO_AUTH_TOKEN: 'test-token',
        TWILIO_FROM_NUMBER: '+447700900999',
        TWILIO_API_BASE_URL: twilio.base,
      },
    });
    notifications = t.app.get(NotificationsService);
  });
  afterAll(async () => {
    await t.close();
    await twilio.close();
  });

  const row = async (id: string): Promise<SmsRow> =>
    (
      await t.app
        .get(DataSource)
        .query<SmsRow[]>('SELECT status, attempts, provider_id, last_error FROM outbound_sms WHERE id = $1', [
          id,
        ])
    )[0];

  it('sends a text after failures, counting every attempt on the row and keeping the last error', async () => {
    const [id] = await t.db.transaction((em) =>
      notifications.queueSms(em, { incidentId: null, to: ['+447700900123'], body: 'retry me' }),
    );
    await notifications.dispatchSms([id]);
    const sent = await waitFor(
      async () => ((await row(id)).status === 'sent' ? row(id) : undefined),
      'the text sent after two 500s',
      30_000,
    );
    expect(sent).toMatchObject({ attempts: 3, provider_id: expect.stringMatching(/^SM\d{32}$/) });
    expect(sent.last_error).toBe('Internal Server Error');
    expect(twilio.texts.filter((x) => x.Body === 'retry me')).toHaveLength(1);
  });

  it('sends a pending text that never got a job once the sweeper runs', async () => {
    const [id] = await t.db.transaction((em) =>
      notifications.queueSms(em, { incidentId: null, to: ['+447700900124'], body: 'swept' }),
    );
    expect((await row(id)).status).toBe('pending');
    expect(await t.app.get(SmsSweeper).sweep()).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await row(id)).status === 'sent', 'the swept text sent');
    expect(twilio.texts.filter((x) => x.Body === 'swept')).toHaveLength(1);
  });
});
