import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { simpleParser } from 'mailparser';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mailJobId, outboxFileName } from '../../src/modules/notifications/domain/outbound-mail';
import { MailSweeper } from '../../src/modules/notifications/mail-sweeper';
import {
  NotificationsService,
  type QueueEmailInput,
} from '../../src/modules/notifications/notifications.service';
import { OutboundMessage } from '../../src/modules/notifications/outbound-message.entity';
import { COMPLETED_JOB_KEEP_S } from '../../src/modules/notifications/outbox/outbox-sender';
import { QueueName } from '../../src/queue/queue-names';
import { uniqueDigits, uniqueEmail } from '../factories/directory.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * Outbound mail with no relay configured: each message lands as an .eml file in OUTBOX_DIR. The same tests run
 * on both queue backends: Redis (scaled) and BullMQ's PostgreSQL backend (single server).
 */
describe.each([
  ['scaled', {}],
  ['single-server', { REDIS_URL: '' }],
])('outbound mail to the outbox (%s)', (mode, backendEnv) => {
  let t: TestApp;
  let outbox: string;
  let notifications: NotificationsService;
  let queue: Queue;

  beforeAll(async () => {
    outbox = mkdtempSync(join(tmpdir(), 'rosedesk-outbox-'));
    t = await createTestApp({ env: { ...backendEnv, OUTBOX_DIR: outbox, SMTP_URL: '' } });
    notifications = t.app.get(NotificationsService);
    queue = t.app.get<Queue>(getQueueToken(QueueName.Mail));
  });
  afterAll(async () => {
    await t.close();
    rmSync(outbox, { recursive: true, force: true });
  });

  const acknowledgement = (overrides: Partial<QueueEmailInput> = {}): QueueEmailInput => {
    const reference = `INC-${uniqueDigits(7)}`;
    return {
      template: 'incident-acknowledgement',
      to: uniqueEmail('reporter'),
      subject: `[${reference}] We have logged your fault: Wi-Fi down`,
      context: {
        reference,
        reporterName: 'Dr Alex Example',
        summary: 'Wi-Fi down in <b>clinic 2</b> <script>alert("x")</script>',
        siteName: 'Fulwood & Cottam "Health Centre"',
        siteCode: '1234',
        serviceName: 'Wireless',
        priority: 'P2',
        statusUrl: `https://desk.example.test/status/${reference}?t=abc&u=1`,
      },
      ...overrides,
    };
  };

  /** queueEmail in a committed transaction of its own. */
  const queueCommitted = (input: QueueEmailInput): Promise<OutboundMessage> =>
    t.db.transaction((em) => notifications.queueEmail(em, input));

  const row = (id: string): Promise<OutboundMessage | null> =>
    t.db.getRepository(OutboundMessage).findOneBy({ id });
  const sentRow = (id: string): Promise<OutboundMessage> =>
    waitFor(async () => {
      const r = await row(id);
      return r?.status === 'sent' ? r : undefined;
    }, `outbound_message ${id} to be sent`);
  /**
   * A row left unsent since an hour ago: the oldest due row, so the sweep (oldest first, 500 at a time) takes it
   * whatever other test files on this database left pending.
   */
  const lostSinceAnHour = async (id: string): Promise<void> => {
    await t.db.query(
      "UPDATE outbound_message SET next_attempt_at = now() - interval '1 hour' WHERE id = $1",
      [id],
    );
  };
  const emlOf = (r: OutboundMessage): Buffer => readFileSync(join(outbox, outboxFileName(r.createdAt, r.id)));
  const filesOf = (id: string): string[] => readdirSync(outbox).filter((f) => f.includes(id));

  it(`runs in ${mode} mode`, () => {
    expect(t.config.mode).toBe(mode);
  });

  it('writes a committed mail as one .eml with both parts, our Message-ID and loop headers, user values escaped', async () => {
    const input = acknowledgement({ cc: [uniqueEmail('manager')] });
    const queued = await queueCommitted(input);
    expect(queued).toMatchObject({
      status: 'pending',
      attempts: 0,
      template: 'incident-acknowledgement',
      automatic: true,
    });
    expect(queued.messageId).toBe(`<${queued.id}@rosedesk.local>`);

    await notifications.dispatch([queued.id]);
    const sent = await sentRow(queued.id);
    expect(sent).toMatchObject({ attempts: 1, lastError: null });
    expect(sent.sentAt).toBeInstanceOf(Date);
    expect(filesOf(queued.id)).toEqual([outboxFileName(sent.createdAt, sent.id)]);
    expect(filesOf(queued.id)[0]).toMatch(/^\d{8}T\d{6}Z-[0-9a-f-]{36}\.eml$/);

    const mail = await simpleParser(emlOf(sent));
    const reference = input.context.reference as string;
    expect(mail.subject).toBe(input.subject);
    expect(mail.messageId).toBe(queued.messageId);
    expect(mail.from?.value[0].address).toBe('servicedesk@rosedesk.local');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : null).toEqual([
      input.to,
    ]);
    expect(mail.cc && !Array.isArray(mail.cc) ? mail.cc.value.map((a) => a.address) : null).toEqual(input.cc);
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.headers.get('x-loop')).toBe('servicedesk@rosedesk.local');
    expect(mail.headers.get('x-rosedesk-reference')).toBe(reference);
    expect(mail.inReplyTo).toBeUndefined();

    expect(mail.text).toContain(`YOUR REFERENCE: ${reference}`);
    expect(mail.text).toContain(`keep [${reference}] in the subject`);
    expect(mail.text).toContain(`https://desk.example.test/status/${reference}?t=abc&u=1`);
    const html = mail.html as string;
    expect(html).toContain(
      'Wi-Fi down in &lt;b&gt;clinic 2&lt;/b&gt; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;',
    );
    expect(html).toContain('Fulwood &amp; Cottam &quot;Health Centre&quot;');
    expect(html).not.toMatch(/<script|<b>clinic/i);
    expect(html).toContain(`href="https://desk.example.test/status/${reference}?t&#x3D;abc&amp;u&#x3D;1"`);
    expect(html).toContain('What happens next');
  });

  it('makes the outbox folder again when it was removed while the app runs, and writes the mail into it', async () => {
    rmSync(outbox, { recursive: true, force: true });
    const queued = await queueCommitted(acknowledgement());
    await notifications.dispatch([queued.id]);
    const sent = await sentRow(queued.id);
    expect(filesOf(queued.id)).toEqual([outboxFileName(sent.createdAt, sent.id)]);
    expect((await simpleParser(emlOf(sent))).messageId).toBe(queued.messageId);
    expect(readdirSync(outbox).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('sends every mail of one transaction with one dispatch (bulk add)', async () => {
    const rows = await t.db.transaction(async (em) => [
      await notifications.queueEmail(em, acknowledgement()),
      await notifications.queueEmail(em, acknowledgement()),
      await notifications.queueEmail(em, acknowledgement({ automatic: false })),
    ]);
    await notifications.dispatch(rows.map((r) => r.id));
    const sent = await Promise.all(rows.map((r) => sentRow(r.id)));
    expect(sent.map((r) => r.attempts)).toEqual([1, 1, 1]);
    const third = await simpleParser(emlOf(sent[2]));
    expect(third.headers.has('auto-submitted')).toBe(false);
  });

  it('leaves no row and sends nothing when the transaction rolls back, even if dispatched', async () => {
    let queued: OutboundMessage | undefined;
    await expect(
      t.db.transaction(async (em) => {
        queued = await notifications.queueEmail(em, acknowledgement());
        throw new Error('the incident could not be saved');
      }),
    ).rejects.toThrow('the incident could not be saved');
    const id = (queued as OutboundMessage).id;
    await expect(row(id)).resolves.toBeNull();

    await notifications.dispatch([id]); // a careless caller: the job finds no row and sends nothing
    await waitFor(async () => (await queue.getJobState(mailJobId(id))) === 'completed', 'the job to finish');
    expect((await queue.getJob(mailJobId(id)))?.returnvalue).toBe('skipped');
    expect(filesOf(id)).toEqual([]);
  });

  it('queues a message once however often it is dispatched, and a duplicate job sends nothing more', async () => {
    const queued = await queueCommitted(acknowledgement());
    const dupJobId = `dup-${queued.id}`;
    await Promise.all([
      notifications.dispatch([queued.id, queued.id]),
      notifications.dispatch([queued.id]),
      queue.add('send', { outboundMessageId: queued.id }, { jobId: dupJobId }),
    ]);
    const sent = await sentRow(queued.id);
    // The duplicate either found the row sent (completed) or found it claimed and waits (delayed): never a send.
    await waitFor(
      async () => ['completed', 'delayed'].includes(await queue.getJobState(dupJobId)),
      'the duplicate job to settle',
    );
    await expect(row(queued.id)).resolves.toMatchObject({ status: 'sent', attempts: 1, sentAt: sent.sentAt });
    expect(filesOf(queued.id)).toHaveLength(1);
  });

  it("gives a sent mail's job the keep-by-age rule (an hour) that BullMQ applies once it completes", async () => {
    // A count ("the newest 1,000") is enforced at every completion by a DELETE over the queue's completed jobs on
    // BullMQ's PostgreSQL backend; an age is not. The rule travels with the job, and BullMQ applies it.
    const queued = await queueCommitted(acknowledgement());
    await notifications.dispatch([queued.id]);
    await waitFor(
      async () => (await queue.getJobState(mailJobId(queued.id))) === 'completed',
      'the job to finish',
    );
    const job = await queue.getJob(mailJobId(queued.id));
    expect(job?.opts.removeOnComplete).toEqual({ age: COMPLETED_JOB_KEEP_S });
    expect(COMPLETED_JOB_KEEP_S).toBe(60 * 60);
  });

  it('sends a pending row whose job was lost (never queued) when the sweeper runs', async () => {
    const queued = await queueCommitted(acknowledgement());
    // No dispatch: as if the queue had been flushed, or was down when the caller tried.
    // Only a sweep can send it now: this one, or the scheduled one if it happens to come first.
    await lostSinceAnHour(queued.id);
    await t.app.get(MailSweeper).sweep();
    const sent = await sentRow(queued.id);
    expect(sent.attempts).toBe(1);
    const mail = await simpleParser(emlOf(sent));
    expect(mail.messageId).toBe(queued.messageId);
  });

  it('does not throw when the queue refuses the job at dispatch; the sweeper sends the row later', async () => {
    const queued = await queueCommitted(acknowledgement());
    const add = jest
      .spyOn(queue, 'add')
      .mockRejectedValueOnce(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    try {
      await expect(notifications.dispatch([queued.id])).resolves.toBeUndefined();
    } finally {
      add.mockRestore();
    }
    await expect(row(queued.id)).resolves.toMatchObject({ status: 'pending', attempts: 0 });
    await lostSinceAnHour(queued.id);
    await t.app.get(MailSweeper).sweep();
    await expect(sentRow(queued.id)).resolves.toMatchObject({ attempts: 1 });
    expect(filesOf(queued.id)).toHaveLength(1);
  });

  it('refuses an unknown template or a bad address as a programmer error, writing nothing', async () => {
    await expect(queueCommitted(acknowledgement({ template: 'no-such-template' }))).rejects.toThrow(
      'Unknown email template "no-such-template"',
    );
    await expect(queueCommitted(acknowledgement({ to: 'a@example.test, b@example.test' }))).rejects.toThrow(
      'Not a single email address',
    );
  });
});
