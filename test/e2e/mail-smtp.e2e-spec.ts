import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mailJobId } from '../../src/modules/notifications/domain/outbound-mail';
import { EARLY_TOLERANCE_MS } from '../../src/modules/notifications/mail-sender';
import { MailSweeper } from '../../src/modules/notifications/mail-sweeper';
import {
  NotificationsService,
  type QueueEmailInput,
} from '../../src/modules/notifications/notifications.service';
import { OutboundMessage } from '../../src/modules/notifications/outbound-message.entity';
import { QueueName } from '../../src/queue/queue-names';
import { uniqueDigits, uniqueEmail } from '../factories/directory.factory';
import { SmtpSink } from '../helpers/smtp-sink';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** Outbound mail through a real SMTP relay on loopback (SMTP_URL), including a relay that refuses for a while. */
describe('outbound mail through an SMTP relay', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let outbox: string;
  let notifications: NotificationsService;
  let queue: Queue;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    outbox = mkdtempSync(join(tmpdir(), 'rosedesk-outbox-'));
    t = await createTestApp({ env: { SMTP_URL: sink.url, OUTBOX_DIR: outbox } });
    notifications = t.app.get(NotificationsService);
    queue = t.app.get<Queue>(getQueueToken(QueueName.Mail));
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
    rmSync(outbox, { recursive: true, force: true });
  });

  const reply = (overrides: Partial<QueueEmailInput> = {}): QueueEmailInput => {
    const reference = `INC-${uniqueDigits(7)}`;
    return {
      template: 'incident-reply',
      to: uniqueEmail('reporter'),
      subject: `Re: [${reference}] Phones down at reception`,
      automatic: false,
      context: {
        reference,
        summary: 'Phones down at reception',
        author: 'Sam Agent',
        body: 'Hello,\nan engineer is on the way.\n<img src=x onerror=alert(1)>\n\nSam',
        statusUrl: `https://desk.example.test/status/${reference}`,
      },
      ...overrides,
    };
  };

  const queueCommitted = (input: QueueEmailInput): Promise<OutboundMessage> =>
    t.db.transaction((em) => notifications.queueEmail(em, input));
  const row = (id: string): Promise<OutboundMessage | null> =>
    t.db.getRepository(OutboundMessage).findOneBy({ id });
  const rowWithStatus = (
    id: string,
    status: OutboundMessage['status'],
    timeoutMs = 20_000,
  ): Promise<OutboundMessage> =>
    waitFor(
      async () => {
        const r = await row(id);
        return r?.status === status ? r : undefined;
      },
      `outbound_message ${id} to be ${status}`,
      timeoutMs,
    );

  it('delivers an agent reply with In-Reply-To and References, the body quoted safely, and no Auto-Submitted', async () => {
    const thread = [`<first.${uniqueDigits()}@rosedesk.local>`, `<reporter.${uniqueDigits()}@nhs.example>`];
    const queued = await queueCommitted(reply({ inReplyTo: thread[1], references: thread }));
    await notifications.dispatch([queued.id]);

    const got = await sink.waitForMessageId(queued.messageId);
    expect(got.envelope).toEqual({ from: 'servicedesk@rosedesk.local', to: [queued.toAddress] });
    expect(got.parsed.subject).toBe(queued.subject);
    expect(got.parsed.inReplyTo).toBe(thread[1]);
    expect(got.parsed.references).toEqual(thread);
    expect(got.parsed.headers.has('auto-submitted')).toBe(false);
    expect(got.parsed.headers.get('x-loop')).toBe('servicedesk@rosedesk.local');
    expect(got.parsed.headers.get('x-rosedesk-reference')).toBe(queued.context.reference);
    expect(got.parsed.text).toContain(
      'Hello,\nan engineer is on the way.\n<img src=x onerror=alert(1)>\n\nSam',
    );
    expect(got.parsed.html).toContain(
      'Hello,<br>\nan engineer is on the way.<br>\n&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;<br>\n<br>\nSam',
    );
    expect(got.parsed.html).not.toContain('<img');

    await expect(rowWithStatus(queued.id, 'sent')).resolves.toMatchObject({ attempts: 1, lastError: null });
    expect(readdirSync(outbox)).toEqual([]); // a relay is configured: no .eml files
  });

  it('retries while the relay answers 451, then delivers exactly once, recording every attempt', async () => {
    const queued = await queueCommitted(reply());
    sink.refuseNext(2, { matching: queued.messageId });
    await notifications.dispatch([queued.id]);

    const sent = await rowWithStatus(queued.id, 'sent', 25_000);
    expect(sent.attempts).toBe(3);
    expect(sent.lastError).toContain('451');
    expect(sink.refused.filter((raw) => raw.includes(queued.messageId))).toHaveLength(2);
    expect(sink.withMessageId(queued.messageId)).toHaveLength(1);
  });

  it('marks a mail failed, and keeps it, when the relay refuses it permanently (550)', async () => {
    const queued = await queueCommitted(reply());
    sink.refuseNext(1, { code: 550, matching: queued.messageId });
    await notifications.dispatch([queued.id]);

    const failed = await rowWithStatus(queued.id, 'failed');
    expect(failed).toMatchObject({ attempts: 1, sentAt: null });
    expect(failed.lastError).toContain('550');
    await waitFor(
      async () => (await queue.getJobState(mailJobId(queued.id))) === 'failed',
      'the job to fail',
    );
    expect(sink.withMessageId(queued.messageId)).toEqual([]);
    // A failed row is not picked up again by the sweeper.
    await t.app.get(MailSweeper).sweep();
    await expect(row(queued.id)).resolves.toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('gives up after the last attempt: the row ends failed, nothing delivered', async () => {
    const queued = await queueCommitted(reply());
    // Five attempts already made (say, before a restart); the sixth and last one fails too.
    await t.db.getRepository(OutboundMessage).update({ id: queued.id }, { attempts: 5 });
    sink.refuseNext(1, { matching: queued.messageId });
    await notifications.dispatch([queued.id]);

    const failed = await rowWithStatus(queued.id, 'failed');
    expect(failed.attempts).toBe(6);
    expect(failed.lastError).toContain('451');
    expect(sink.withMessageId(queued.messageId)).toEqual([]);
  });

  it('delivers once despite duplicate dispatches and a duplicate job', async () => {
    const queued = await queueCommitted(reply());
    const dupJobId = `dup-${queued.id}`;
    await Promise.all([
      notifications.dispatch([queued.id]),
      notifications.dispatch([queued.id, queued.id]),
      queue.add('send', { outboundMessageId: queued.id }, { jobId: dupJobId }),
    ]);
    await rowWithStatus(queued.id, 'sent');
    await waitFor(
      async () => ['completed', 'delayed'].includes(await queue.getJobState(dupJobId)),
      'the duplicate job to settle',
    );
    // Once more, after the fact: a late duplicate finds the row sent and does nothing.
    await queue.add('send', { outboundMessageId: queued.id }, { jobId: `late-${queued.id}` });
    await waitFor(
      async () => (await queue.getJobState(`late-${queued.id}`)) === 'completed',
      'the late duplicate',
    );
    expect((await queue.getJob(`late-${queued.id}`))?.returnvalue).toBe('skipped');

    expect(sink.withMessageId(queued.messageId)).toHaveLength(1);
    await expect(row(queued.id)).resolves.toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('waits out a claim held by another sender (say, one that died mid-send), then delivers once', async () => {
    const queued = await queueCommitted(reply());
    // As MailSender's claim leaves it: pending, next attempt pushed ahead while someone "sends".
    const repo = t.db.getRepository(OutboundMessage);
    await repo.update({ id: queued.id }, { nextAttemptAt: () => "now() + interval '3 seconds'" });
    const claimedUntil = (await repo.findOneByOrFail({ id: queued.id })).nextAttemptAt;
    await notifications.dispatch([queued.id]);

    await sink.waitForMessageId(queued.messageId);
    const sent = await rowWithStatus(queued.id, 'sent');
    expect(sent.attempts).toBe(1);
    // Ordering, not speed: it went only once the claim had run out, less the tolerance a queue retry gets
    // for clock differences (both times are the database's).
    expect((sent.sentAt as Date).getTime()).toBeGreaterThanOrEqual(
      claimedUntil.getTime() - EARLY_TOLERANCE_MS,
    );
    expect(sink.withMessageId(queued.messageId)).toHaveLength(1);
  });

  it('delivers a row whose job was lost when the sweeper runs, once', async () => {
    const queued = await queueCommitted(reply());
    // Never dispatched: the queue was flushed, or down when the caller tried.
    // Only a sweep can send it now: this one, or the scheduled one if it happens to come first. Due an hour ago,
    // it is the oldest due row (the sweep takes 500, oldest first) whatever other test files left pending.
    await t.db
      .getRepository(OutboundMessage)
      .update({ id: queued.id }, { nextAttemptAt: () => "now() - interval '1 hour'" });
    await t.app.get(MailSweeper).sweep();
    await sink.waitForMessageId(queued.messageId);
    await rowWithStatus(queued.id, 'sent');
    // Sweeping again finds nothing due for it.
    await t.app.get(MailSweeper).sweep();
    expect(sink.withMessageId(queued.messageId)).toHaveLength(1);
  });

  it('re-queues a pending row even when its earlier job is kept as finished (a retained job id does not block it)', async () => {
    const queued = await queueCommitted(reply());
    await notifications.dispatch([queued.id]);
    await rowWithStatus(queued.id, 'sent');
    await waitFor(
      async () => (await queue.getJobState(mailJobId(queued.id))) === 'completed',
      'the job to complete',
    );

    // The database now says it is unsent and due, the oldest due row (the job is kept by removeOnComplete with
    // the same id).
    await t.db
      .getRepository(OutboundMessage)
      .update(
        { id: queued.id },
        { status: 'pending', sentAt: null, nextAttemptAt: () => "now() - interval '1 hour'" },
      );
    await notifications.dispatch([queued.id]); // ignored by BullMQ: that job id still exists
    await t.app.get(MailSweeper).sweep(); // removes the finished job and queues a new one
    await waitFor(
      () => Promise.resolve(sink.withMessageId(queued.messageId).length === 2),
      'the second delivery',
    );
    await expect(rowWithStatus(queued.id, 'sent')).resolves.toMatchObject({ attempts: 2 });
  });
});
