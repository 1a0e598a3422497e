import { getQueueToken } from '@nestjs/bullmq';
import { getNextMillis, type Job, type Queue } from 'bullmq';
import { simpleParser } from 'mailparser';
import { FixedClock } from '../../src/common/time/clock';
import {
  ReportDeliveryJobName,
  subscriptionSchedulerId,
} from '../../src/modules/reporting/delivery/report-delivery-jobs';
import { closedPeriod } from '../../src/modules/reporting/delivery/domain/report-schedule';
import { QueueName } from '../../src/queue/queue-names';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { incidentIdOf, parkClocks } from '../factories/sla.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { SmtpSink, type SinkMessage } from '../helpers/smtp-sink';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * Scheduled SLA report mail, through a real SMTP relay on loopback, with the desk's clock frozen.
 *
 * The monthly subscription runs on the 1st at 08:00 Europe/London. The clocks went forward on Sunday 28 March
 * 2027, so its April run is at 07:00 UTC (08:00 BST) and reports on March: 1 March 00:00 GMT to 1 April 00:00 BST
 * (= 31 March 23:00 UTC). An incident reported at 31 March 22:30 UTC (23:30 BST) is in March; one at 23:30 UTC
 * (1 April 00:30 BST) is not, though it is still 31 March in UTC.
 */
describe.each([
  ['scaled (Redis)', {}],
  ['single-server (PostgreSQL queue)', { REDIS_URL: '' }],
])('scheduled report delivery in %s mode', (_mode, queueEnv: Record<string, string>) => {
  const clock = new FixedClock(new Date('2027-03-01T09:00:00Z'));
  const ids: string[] = [];
  let sink: SmtpSink;
  let t: TestApp;
  let queue: Queue;
  let admin: SignedInUser;
  let manager: SignedInUser;
  let trustManager: SignedInUser;
  let trust: { id: string; code: string };
  let otherTrust: { id: string; code: string };
  const refs: Record<'early' | 'late' | 'april', string> = { early: '', late: '', april: '' };

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ clock, env: { SMTP_URL: sink.url, ...queueEnv } });
    queue = t.app.get<Queue>(getQueueToken(QueueName.ReportDelivery));
    admin = await signedInUser(t, 'admin');
    manager = await signedInUser(t, 'desk_manager');
    const agent = await signedInUser(t, 'agent');
    trust = await createTrust(t.db);
    otherTrust = await createTrust(t.db);
    trustManager = await signedInUser(t, 'trust_manager', { trustId: trust.id });
    const site = await createSite(t.db, trust as never);
    const service = await createService(t.db, await createSupplier(t.db));
    clock.set(new Date('2027-03-31T23:45:00Z'));
    for (const [key, reportedAt] of [
      ['early', '2027-03-01T00:30:00Z'],
      ['late', '2027-03-31T22:30:00Z'],
      ['april', '2027-03-31T23:30:00Z'],
    ] as const) {
      const { reference } = await createIncident(t, agent.auth, incidentBody(site, service, { reportedAt }));
      refs[key] = reference;
      ids.push(await incidentIdOf(t.db, reference));
    }
    // Their SLA clocks would raise warnings as the clock jumps about: stopped, they leave the figures as they are.
    await parkClocks(t.db, ids);
    clock.set(new Date('2027-03-15T12:00:00Z'));
  });
  afterAll(async () => {
    // Later test apps on this database rebuild every subscription's scheduler at boot: leave none behind.
    await t.db.query('DELETE FROM report_subscription WHERE created_by = ANY($1::uuid[])', [
      [admin.user.id, manager.user.id],
    ]);
    await parkClocks(t.db, ids);
    await t.close();
    await sink.close();
  });

  const subscribe = (who: SignedInUser, body: Record<string, unknown>) =>
    t.http().post('/api/reports/subscriptions').set(who.auth).send(body);

  /** Adds the job its scheduler adds (same name and data) under `jobId`, and waits for its result. */
  const run = async (subscriptionId: string, jobIds: string[]): Promise<unknown[]> => {
    const jobs = await Promise.all(
      jobIds.map((jobId) => queue.add(ReportDeliveryJobName.Deliver, { subscriptionId }, { jobId })),
    );
    return Promise.all(
      jobs.map((job) =>
        waitFor(
          async () => {
            const j = (await queue.getJob(job.id as string)) as Job | undefined;
            if (j?.failedReason) throw new Error(`job failed: ${j.failedReason}`);
            return j?.finishedOn ? (j.returnvalue as unknown) : undefined;
          },
          `report job ${job.id}`,
          30_000,
        ),
      ),
    );
  };
  const mailsTo = (address: string): SinkMessage[] =>
    // SLA warnings go to the same managers: only the report mail counts here.
    sink.messages.filter(
      (m) => m.envelope.to.includes(address) && m.parsed.subject?.startsWith('SLA report'),
    );
  const deliveries = async (subscriptionId: string) =>
    (
      await t
        .http()
        .get(`/api/reports/subscriptions/${subscriptionId}/deliveries`)
        .set(manager.auth)
        .expect(200)
    ).body as { items: Record<string, unknown>[]; nextCursor: string | null };

  it('runs monthly on the 1st at 08:00 London time across the March clock change, sends once when the job is duplicated, with an inline PNG chart and the CSV', async () => {
    const res = await subscribe(manager, {
      recipientUserId: trustManager.user.id,
      frequency: 'monthly',
      dayOfMonth: 1,
      timeOfDay: '08:00',
    }).expect(201);
    const sub = res.body as { id: string; trust: string; cron: string; nextRunAt: string };
    expect(sub).toMatchObject({ trust: trust.code, cron: '0 8 1 * *', timeZone: 'Europe/London' });
    expect(sub.nextRunAt).toBe('2027-04-01T07:00:00.000Z');

    // The queue holds a job scheduler for it, and BullMQ's own cron maths puts its run after 15 March at
    // 1 April 07:00 UTC (BST), the one after at 1 May 07:00 UTC, and the one before at 1 March 08:00 UTC (GMT).
    const scheduler = await queue.getJobScheduler(subscriptionSchedulerId(sub.id));
    expect(scheduler).toMatchObject({ pattern: '0 8 1 * *', tz: 'Europe/London' });
    const opts = { pattern: scheduler?.pattern as string, tz: scheduler?.tz };
    const next = (iso: string) => new Date(getNextMillis(Date.parse(iso), opts) as number).toISOString();
    expect(next('2027-03-15T12:00:00Z')).toBe('2027-04-01T07:00:00.000Z');
    expect(next('2027-04-01T07:00:00Z')).toBe('2027-05-01T07:00:00.000Z');
    expect(next('2027-02-15T00:00:00Z')).toBe('2027-03-01T08:00:00.000Z');

    // The run at that instant, the job duplicated (as a scheduler and a retry of it might): one mail.
    clock.set(new Date('2027-04-01T07:00:00Z'));
    const outcomes = await run(sub.id, [`dup-a-${sub.id}`, `dup-b-${sub.id}`]);
    expect(outcomes.sort()).toEqual(['already-decided', 'sent']);
    expect(await run(sub.id, [`dup-c-${sub.id}`])).toEqual(['already-decided']);

    const log = await deliveries(sub.id);
    expect(log.items).toEqual([
      expect.objectContaining({
        periodFrom: '2027-03-01',
        periodTo: '2027-03-31',
        status: 'sent',
        reason: null,
        csvAttached: true,
      }),
    ]);
    const [row] = await t.db.query<{ status: string }[]>(
      'SELECT status FROM outbound_message WHERE id = $1',
      [log.items[0].outboundMessageId],
    );
    expect(row).toBeDefined();
    await waitFor(() => Promise.resolve(mailsTo(trustManager.user.email)[0]), 'the report mail');
    await waitFor(
      async () =>
        (
          await t.db.query<{ status: string }[]>('SELECT status FROM outbound_message WHERE id = $1', [
            log.items[0].outboundMessageId,
          ])
        )[0].status === 'sent',
      'the outbound row to be sent',
    );
    const mails = mailsTo(trustManager.user.email);
    expect(mails).toHaveLength(1);
    const mail = mails[0].parsed;
    expect(mail.subject).toBe(`SLA report, ${trust.code}, 2027-03-01 to 2027-03-31`);

    // The chart: an inline image/png part whose Content-ID the HTML shows as cid:.
    const png = mail.attachments.find((a) => a.contentType === 'image/png');
    expect(png).toBeDefined();
    expect(png?.contentDisposition).toBe('inline');
    expect(png?.cid).toBeTruthy();
    // (mailparser inlines cid: images as data: URIs unless told to keep the links.)
    const withCids = await simpleParser(mails[0].raw, { keepCidLinks: true });
    expect(withCids.html).toContain(`src="cid:${png?.cid}"`);
    expect(png?.content.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    // The raw message really is multipart/related with a Content-ID header on the image.
    expect(mails[0].raw.toString('utf8')).toMatch(/Content-Type: multipart\/related/i);
    expect(mails[0].raw.toString('utf8')).toMatch(/Content-ID: <[^>]+>/i);

    // The CSV: March's two incidents of this trust, not the one reported at 00:30 BST on 1 April.
    const csv = mail.attachments.find((a) => a.contentType === 'text/csv');
    expect(csv?.filename).toBe(`sla-${trust.code}-2027-03-01-2027-03-31.csv`);
    const text = csv?.content.toString('utf8') ?? '';
    expect(text).toContain(refs.early);
    expect(text).toContain(refs.late);
    expect(text).not.toContain(refs.april);
    expect(mail.text).toContain('Incidents reported: 2');
  });

  it('runs weekly on Monday 07:00 after the October clock change and reports the 169-hour week before', async () => {
    clock.set(new Date('2026-10-20T12:00:00Z'));
    const res = await subscribe(admin, {
      recipientUserId: manager.user.id,
      frequency: 'weekly',
      dayOfWeek: 1,
      timeOfDay: '07:00',
    }).expect(201);
    const sub = res.body as { id: string; trust: string | null; nextRunAt: string; cron: string };
    // No trust: a desk manager gets every trust.
    expect(sub).toMatchObject({ trust: null, cron: '0 7 * * 1', nextRunAt: '2026-10-26T07:00:00.000Z' });
    expect(
      getNextMillis(Date.parse('2026-10-20T12:00:00Z'), { pattern: sub.cron, tz: 'Europe/London' }),
    ).toBe(Date.parse('2026-10-26T07:00:00Z'));

    clock.set(new Date('2026-10-26T07:00:00Z'));
    expect(await run(sub.id, [`w-${sub.id}`])).toEqual(['sent']);
    const [row] = await t.db.query<{ period_start: Date; period_from: string; period_to: string }[]>(
      `SELECT period_start, to_char(period_from, 'YYYY-MM-DD') AS period_from,
              to_char(period_to, 'YYYY-MM-DD') AS period_to FROM report_delivery WHERE subscription_id = $1`,
      [sub.id],
    );
    expect(row).toEqual({
      period_start: new Date('2026-10-18T23:00:00Z'),
      period_from: '2026-10-19',
      period_to: '2026-10-25',
    });
    const mail = await waitFor(() => Promise.resolve(mailsTo(manager.user.email)[0]), 'the weekly mail');
    expect(mail.parsed.subject).toBe('SLA report, every trust, 2026-10-19 to 2026-10-25');
  });

  it('checks the recipient when the mail is built: a changed trust or a disabled user gets nothing, and the log says why', async () => {
    clock.set(new Date('2027-03-15T12:00:00Z'));
    const tm = await signedInUser(t, 'trust_manager', { trustId: trust.id });
    const sub = (
      await subscribe(manager, {
        recipientUserId: tm.user.id,
        frequency: 'monthly',
        dayOfMonth: 2,
        timeOfDay: '09:30',
      }).expect(201)
    ).body as { id: string };

    // Moved to another trust after subscribing: the April run (for March) sends nothing.
    await t
      .http()
      .patch(`/api/users/${tm.user.id}`)
      .set(admin.auth)
      .send({ trustCode: otherTrust.code })
      .expect(200);
    clock.set(new Date('2027-04-02T08:30:00Z'));
    expect(await run(sub.id, [`s1-${sub.id}`])).toEqual(['skipped']);

    // Back on the trust but disabled: the May run (for April) sends nothing either.
    await t
      .http()
      .patch(`/api/users/${tm.user.id}`)
      .set(admin.auth)
      .send({ trustCode: trust.code, active: false })
      .expect(200);
    clock.set(new Date('2027-05-02T08:30:00Z'));
    expect(await run(sub.id, [`s2-${sub.id}`])).toEqual(['skipped']);

    // Made an agent: agents receive no reports at all.
    await t
      .http()
      .patch(`/api/users/${tm.user.id}`)
      .set(admin.auth)
      .send({ active: true, role: 'agent', trustCode: null })
      .expect(200);
    clock.set(new Date('2027-06-02T08:30:00Z'));
    expect(await run(sub.id, [`s3-${sub.id}`])).toEqual(['skipped']);

    const log = await deliveries(sub.id);
    expect(log.items.map((d) => [d.periodFrom, d.status, d.reason, d.outboundMessageId])).toEqual([
      ['2027-05-01', 'skipped', 'recipient_role', null],
      ['2027-04-01', 'skipped', 'recipient_disabled', null],
      ['2027-03-01', 'skipped', 'recipient_trust', null],
    ]);
    expect(mailsTo(tm.user.email)).toEqual([]);
    const [{ count }] = await t.db.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM outbound_message WHERE to_address = $1',
      [tm.user.email],
    );
    expect(count).toBe(0);
  });

  it('refuses bad subscriptions with a clear 4xx, lets only desk managers and admins manage them, and removes the scheduler on delete', async () => {
    clock.set(new Date('2027-03-15T12:00:00Z'));
    const agent = await signedInUser(t, 'agent');
    const base = {
      recipientUserId: trustManager.user.id,
      frequency: 'monthly',
      dayOfMonth: 1,
      timeOfDay: '08:00',
    };
    const problem = async (who: SignedInUser, body: Record<string, unknown>, status: number) =>
      (await subscribe(who, body).expect(status)).body as {
        error: string;
        field?: string;
        fields?: { field: string }[];
      };

    await problem(trustManager, base, 403);
    await problem(agent, base, 403);
    expect(await problem(manager, { ...base, trust: otherTrust.code }, 422)).toMatchObject({
      error: 'REPORT.SUBSCRIPTION_INVALID',
      field: 'recipientUserId',
    });
    expect(await problem(manager, { ...base, recipientUserId: agent.user.id }, 422)).toMatchObject({
      field: 'recipientUserId',
    });
    expect(
      await problem(manager, { ...base, recipientUserId: '00000000-0000-4000-8000-000000000000' }, 422),
    ).toMatchObject({
      field: 'recipientUserId',
    });
    expect(await problem(manager, { ...base, trust: 'NOPE' }, 422)).toMatchObject({ field: 'trust' });
    expect(await problem(manager, { ...base, timeOfDay: '01:30' }, 422)).toMatchObject({
      field: 'timeOfDay',
    });
    expect(await problem(manager, { ...base, dayOfMonth: undefined, dayOfWeek: 3 }, 422)).toMatchObject({
      field: 'dayOfMonth',
    });
    const bad = await problem(
      manager,
      { ...base, dayOfMonth: 31, timeOfDay: '8am', frequency: 'daily', extra: 1 },
      400,
    );
    expect(bad.error).toBe('REQUEST.VALIDATION_FAILED');
    expect(bad.fields?.map((f) => f.field).sort()).toEqual(['dayOfMonth', 'extra', 'frequency', 'timeOfDay']);

    const sub = (await subscribe(admin, base).expect(201)).body as { id: string };
    const list = await t.http().get('/api/reports/subscriptions?limit=500').set(manager.auth).expect(200);
    expect((list.body as { items: { id: string }[] }).items.map((s) => s.id)).toContain(sub.id);
    await t.http().get('/api/reports/subscriptions').set(trustManager.auth).expect(403);
    await t.http().get('/api/reports/subscriptions/not-a-uuid').set(manager.auth).expect(400);
    await t.http().delete(`/api/reports/subscriptions/${sub.id}`).set(manager.auth).expect(204);
    expect(await queue.getJobScheduler(subscriptionSchedulerId(sub.id))).toBeUndefined();
    await t.http().delete(`/api/reports/subscriptions/${sub.id}`).set(manager.auth).expect(404);
    const audit = await t.db.query<{ action: string; actor_user_id: string }[]>(
      `SELECT action, actor_user_id FROM audit_entry WHERE entity_type = 'report_subscription' AND entity_id = $1
       ORDER BY id`,
      [sub.id],
    );
    expect(audit).toEqual([
      { action: 'report_subscription.created', actor_user_id: admin.user.id },
      { action: 'report_subscription.deleted', actor_user_id: manager.user.id },
    ]);
    await t.http().get(`/api/reports/subscriptions/${sub.id}/deliveries`).set(manager.auth).expect(404);
    // A job still queued for it finds it gone and sends nothing.
    expect(await run(sub.id, [`gone-${sub.id}`])).toEqual(['gone']);
  });
  it('rebuilds the schedulers from the table when a worker starts: a lost one comes back, a stray one goes', async () => {
    clock.set(new Date('2027-03-15T12:00:00Z'));
    const sub = (
      await subscribe(manager, {
        recipientUserId: manager.user.id,
        frequency: 'weekly',
        dayOfWeek: 5,
        timeOfDay: '17:30',
      }).expect(201)
    ).body as { id: string };
    const stray = subscriptionSchedulerId('00000000-0000-4000-8000-00000000beef');
    await queue.removeJobScheduler(subscriptionSchedulerId(sub.id));
    await queue.upsertJobScheduler(
      stray,
      { pattern: '0 8 1 * *', tz: 'Europe/London' },
      {
        name: ReportDeliveryJobName.Deliver,
        data: { subscriptionId: '00000000-0000-4000-8000-00000000beef' },
      },
    );

    // A second process on the same queues starts (its worker boot syncs the schedulers with the table).
    const second = await createTestApp({
      clock,
      env: { SMTP_URL: sink.url, ...queueEnv, QUEUE_PREFIX: t.config.env.QUEUE_PREFIX },
    });
    try {
      await expect(queue.getJobScheduler(subscriptionSchedulerId(sub.id))).resolves.toMatchObject({
        pattern: '30 17 * * 5',
        tz: 'Europe/London',
      });
      await expect(queue.getJobScheduler(stray)).resolves.toBeUndefined();
    } finally {
      await second.close();
    }
  });
  it('takes the period from the instant its scheduler meant the run for, and sends once however often it fires', async () => {
    clock.set(new Date('2027-06-15T12:00:00Z'));
    const reader = await signedInUser(t, 'desk_manager');
    const sub = (
      await subscribe(manager, {
        recipientUserId: reader.user.id,
        frequency: 'monthly',
        dayOfMonth: 1,
        timeOfDay: '08:00',
      }).expect(201)
    ).body as { id: string };
    // Its scheduler made to fire every second of real time, as it fires at 08:00 on the 1st: every job it makes
    // carries the instant it was meant for, and the run reports the month closed then (the real previous month),
    // not the one before the desk's frozen clock (May 2027).
    const expected = closedPeriod('monthly', new Date());
    const schedulerId = subscriptionSchedulerId(sub.id);
    await queue.upsertJobScheduler(
      schedulerId,
      { every: 1000 },
      { name: ReportDeliveryJobName.Deliver, data: { subscriptionId: sub.id } },
    );
    try {
      await waitFor(
        async () => ((await queue.getJobScheduler(schedulerId))?.iterationCount ?? 0) >= 3 || undefined,
        'the scheduler to fire three times',
        30_000,
      );
    } finally {
      await queue.removeJobScheduler(schedulerId);
    }
    const log = await waitFor(async () => {
      const page = await deliveries(sub.id);
      return page.items.length > 0 ? page.items : undefined;
    }, 'the delivery log');
    expect(log).toEqual([
      expect.objectContaining({ periodFrom: expected.from, periodTo: expected.to, status: 'sent' }),
    ]);
    const [{ count }] = await t.db.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM outbound_message WHERE to_address = $1',
      [reader.user.email],
    );
    expect(count).toBe(1);
  });
});

/**
 * A CSV larger than the mail may carry (REPORT_MAIL_MAX_BYTES; 0: never attach it) is left out: the mail says how
 * large it is and links to the report page, where the recipient signs in and downloads it, and the delivery log
 * records that the CSV was not attached. Nothing fails and nothing is retried.
 */
describe('scheduled report delivery with a CSV too large for mail', () => {
  const clock = new FixedClock(new Date('2027-03-15T12:00:00Z'));
  let sink: SmtpSink;
  let t: TestApp;
  let manager: SignedInUser;
  let trust: { id: string; code: string };

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({
      clock,
      env: {
        SMTP_URL: sink.url,
        REPORT_MAIL_MAX_BYTES: '0',
        PUBLIC_BASE_URL: 'https://desk.example.nhs.uk/',
      },
    });
    manager = await signedInUser(t, 'desk_manager');
    trust = await createTrust(t.db);
  });
  afterAll(async () => {
    await t.db.query('DELETE FROM report_subscription WHERE user_id = $1', [manager.user.id]);
    await t.close();
    await sink.close();
  });

  it('sends the mail with the chart and a link to the report page instead of the CSV, and logs csvAttached false', async () => {
    const sub = (
      await t
        .http()
        .post('/api/reports/subscriptions')
        .set(manager.auth)
        .send({
          recipientUserId: manager.user.id,
          trust: trust.code,
          frequency: 'monthly',
          dayOfMonth: 1,
          timeOfDay: '08:00',
        })
        .expect(201)
    ).body as { id: string };
    clock.set(new Date('2027-04-01T07:00:00Z'));
    const queue = t.app.get<Queue>(getQueueToken(QueueName.ReportDelivery));
    const job = await queue.add(
      ReportDeliveryJobName.Deliver,
      { subscriptionId: sub.id },
      { jobId: `big-${sub.id}` },
    );
    const outcome = await waitFor(async () => {
      const j = (await queue.getJob(job.id as string)) as Job | undefined;
      if (j?.failedReason) throw new Error(`job failed: ${j.failedReason}`);
      return j?.finishedOn ? (j.returnvalue as unknown) : undefined;
    }, 'the report job');
    expect(outcome).toBe('sent');

    const log = (
      await t.http().get(`/api/reports/subscriptions/${sub.id}/deliveries`).set(manager.auth).expect(200)
    ).body as { items: Record<string, unknown>[] };
    expect(log.items).toEqual([
      expect.objectContaining({
        periodFrom: '2027-03-01',
        periodTo: '2027-03-31',
        status: 'sent',
        csvAttached: false,
      }),
    ]);
    const mail = await waitFor(
      () =>
        Promise.resolve(
          sink.messages.find(
            (m) => m.envelope.to.includes(manager.user.email) && m.parsed.subject?.startsWith('SLA report'),
          ),
        ),
      'the report mail',
    );
    const link = `https://desk.example.nhs.uk/console/reports?trust=${trust.code}&from=2027-03-01&to=2027-03-31`;
    expect(mail.parsed.attachments.map((a) => a.contentType)).toEqual(['image/png']);
    expect(mail.parsed.text).toContain('too large to send by mail');
    expect(mail.parsed.text).toContain(link);
    // Handlebars escapes the link's = and & in the HTML (&#x3D;, &amp;), which a mail client reads back as written.
    const html = String(mail.parsed.html)
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
    expect(html).toContain(`href="${link}"`);
  });
});
