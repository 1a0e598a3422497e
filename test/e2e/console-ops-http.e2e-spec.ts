import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import type { Role } from '../../src/modules/users/user.entity';
import { QueueName } from '../../src/queue/queue-names';
import {
  createContact,
  createService,
  createSite,
  createSupplier,
  createTrust,
  uniqueDigits,
} from '../factories/directory.factory';
import { createUser, TEST_PASSWORD } from '../factories/user.factory';
import { ConsoleClient } from '../helpers/console-client';
import { buildMail, processed, send, smtpPort } from '../helpers/email-intake';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * The console's operations screens over HTTP: the admin index, the email intake log (a failed message, its log,
 * re-run) and the queue health (counts, failed jobs, retry). Roles, CSRF and "nothing changes on GET".
 */
describe('console: intake log and queue health over HTTP', () => {
  let t: TestApp;
  /** Mail from known contacts fails until this service exists (the fix a re-run follows). */
  const missingService = `gone${uniqueDigits(6)}`;

  beforeAll(async () => {
    t = await createTestApp({ env: { INTAKE_DEFAULT_SERVICE: missingService } });
  });
  afterAll(() => t.close());

  const signedIn = async (role: Role, binding: { trustId?: string } = {}) => {
    const u = await createUser(t.db, t.app.get(PasswordHasher), role, binding);
    const c = new ConsoleClient(t);
    expect((await c.signIn(u.email, TEST_PASSWORD)).status).toBe(303);
    await c.get('/console');
    return { u, c };
  };
  const mailQueue = (): Queue => t.app.get<Queue>(getQueueToken(QueueName.Mail), { strict: false });

  /** A message from a known contact that fails (no default service yet) and is kept as failed. */
  async function failedMessage(subject: string): Promise<{ id: string; messageId: string }> {
    const trust = await createTrust(t.db);
    const site = await createSite(t.db, trust);
    const contact = await createContact(t.db, site);
    const mail = buildMail({ from: contact.email as string, subject, body: 'The printer is jammed.' });
    await send(smtpPort(t), mail.raw);
    const [row] = await processed(t.db, mail.messageId as string, 1, 40_000);
    expect(row.status).toBe('failed');
    return { id: row.id, messageId: mail.messageId as string };
  }

  it('opens the admin index to desk managers and administrators only (403 for agents, 404 beyond the desk)', async () => {
    for (const role of ['desk_manager', 'admin'] as const) {
      const { c } = await signedIn(role);
      const page = await c.get('/console/admin');
      expect(page.status).toBe(200);
      for (const href of ['intake', 'users', 'sites', 'contacts', 'sla', 'queues'])
        expect(page.text).toContain(`href="/console/admin/${href}"`);
      expect((await c.get('/console')).text).toContain('href="/console/admin"');
    }
    const agent = await signedIn('agent');
    expect((await agent.c.get('/console')).text).not.toContain('href="/console/admin"');
    const trust = await createTrust(t.db);
    const manager = await signedIn('trust_manager', { trustId: trust.id });
    for (const path of ['/console/admin', '/console/admin/intake', '/console/admin/queues']) {
      const refused = await agent.c.get(path);
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('Not available to your role');
      expect((await manager.c.get(path)).status).toBe(404);
    }
  });

  it('lists failed mail, shows a message with its log, and re-runs it after the fix (CSRF checked first)', async () => {
    const subject = `Printer jammed ${uniqueDigits(6)}`;
    const failed = await failedMessage(subject);
    const { c } = await signedIn('desk_manager');
    const list = await c.get('/console/admin/intake');
    expect(list.status).toBe(200);
    expect(list.text).toContain(subject);
    expect(list.text).toContain(`href="/console/admin/intake/${failed.id}"`);
    const onlyProcessed = await c.get('/console/admin/intake?status=processed');
    expect(onlyProcessed.text).not.toContain(subject);
    expect((await c.get('/console/admin/intake?status=bogus')).status).toBe(400);

    const page = await c.get(`/console/admin/intake/${failed.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(subject);
    expect(page.text).toContain(missingService);
    expect(page.text).toMatch(/<form[^>]+action="\/console\/admin\/intake\/[^"]+\/retry"/);
    const raw = await c.get(`/console/admin/intake/${failed.id}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toMatch(/^message\/rfc822/);
    expect(raw.headers['content-disposition']).toMatch(/^attachment/);
    expect(raw.text).toContain(subject);

    const status = async () =>
      (
        await t.db.query<{ status: string }[]>('SELECT status FROM inbound_message WHERE id = $1', [
          failed.id,
        ])
      )[0].status;
    expect((await c.post(`/console/admin/intake/${failed.id}/retry`, {})).status).toBe(403);
    expect((await c.get(`/console/admin/intake/${failed.id}/retry`)).status).toBe(404);
    expect(await status()).toBe('failed');

    await createService(t.db, await createSupplier(t.db), { code: missingService });
    const retried = await c.post(`/console/admin/intake/${failed.id}/retry`, { _csrf: c.csrf });
    expect(retried.status).toBe(303);
    expect(retried.headers.location).toBe(`/console/admin/intake/${failed.id}?done=retried`);
    const [done] = await processed(t.db, failed.messageId, 1, 30_000);
    expect(done).toMatchObject({ status: 'processed', decision: 'created' });
    const after = await c.get(`/console/admin/intake/${failed.id}`);
    expect(after.text).toMatch(/href="\/console\/incidents\/INC-\d+"/);
    const again = await c.post(`/console/admin/intake/${failed.id}/retry`, { _csrf: c.csrf });
    expect(again.status).toBe(409);
    expect(again.text).toContain('Only failed or refused messages can be run again');
    expect((await c.get('/console/admin/intake/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await c.get('/console/admin/intake/not-a-uuid')).status).toBe(404);
  }, 90_000);

  it('shows each queue’s counts and failed jobs, and retries a failed job (CSRF checked, GET changes nothing)', async () => {
    const job = await mailQueue().add(`retired-job-${uniqueDigits(5)}`, { note: 'left by an older release' });
    const jobId = job.id as string;
    await waitFor(async () => (await mailQueue().getJobState(jobId)) === 'failed', 'the job to fail', 20_000);
    const { c } = await signedIn('admin');
    const page = await c.get('/console/admin/queues');
    expect(page.status).toBe(200);
    for (const name of Object.values(QueueName)) expect(page.text).toContain(name);
    expect(page.text).toContain(jobId);
    expect(page.text).toContain('Unknown mail job');
    const path = `/console/admin/queues/${QueueName.Mail}/jobs/${encodeURIComponent(jobId)}/retry`;
    expect(page.text).toContain(`action="${path}"`);

    const attempts = async () => (await mailQueue().getJob(jobId))?.attemptsMade;
    expect((await c.post(path, {})).status).toBe(403);
    expect((await c.get(path)).status).toBe(404);
    expect(await mailQueue().getJobState(jobId)).toBe('failed');
    expect(await attempts()).toBe(1);

    const retried = await c.post(path, { _csrf: c.csrf });
    expect(retried.status).toBe(303);
    expect(retried.headers.location).toBe('/console/admin/queues?done=retried');
    // It ran again on a worker (and, its name still unknown, failed again).
    await waitFor(async () => (await attempts()) === 2, 'the retried job to run again', 20_000);
    await waitFor(async () => (await mailQueue().getJobState(jobId)) === 'failed', 'the job to fail again');

    const notFailed = await mailQueue().add('later', {}, { delay: 3_600_000 });
    const refused = await c.post(
      `/console/admin/queues/${QueueName.Mail}/jobs/${encodeURIComponent(notFailed.id as string)}/retry`,
      { _csrf: c.csrf },
    );
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('is not failed');
    await notFailed.remove();
    expect((await c.post(`/console/admin/queues/nope/jobs/1/retry`, { _csrf: c.csrf })).status).toBe(404);
    expect(
      (
        await c.post(`/console/admin/queues/${QueueName.Mail}/jobs/missing-${uniqueDigits(6)}/retry`, {
          _csrf: c.csrf,
        })
      ).status,
    ).toBe(404);
    const agent = await signedIn('agent');
    expect((await agent.c.post(path, { _csrf: agent.c.csrf })).status).toBe(403);
  }, 60_000);
});
