import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { createIncident, incidentBody, incidentWorld } from '../factories/incident.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { rowCounts } from '../helpers/row-counts';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** Rows a request could write; "nothing saved" means none of these moved. */
const counts = (t: TestApp) => rowCounts(t.db, ['incidents', 'events', 'audit', 'outbound', 'contacts']);

describe('incidents API', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let outbox: string;

  beforeAll(async () => {
    outbox = await mkdtemp(join(tmpdir(), 'rosedesk-outbox-'));
    t = await createTestApp({
      env: { OUTBOX_DIR: outbox, ATTACHMENT_MAX_BYTES: '2048', INCIDENT_ATTACHMENTS_MAX_BYTES: '3072' },
    });
    agent = await signedInUser(t, 'agent');
  });
  afterAll(async () => {
    await t.close();
    await rm(outbox, { recursive: true, force: true });
  });

  describe('create', () => {
    it('answers 201 with the pinned incident JSON, priority from the matrix', async () => {
      const { site, service, trustCode } = await incidentWorld(t);
      const res = await t
        .http()
        .post('/api/incidents')
        .set(agent.auth)
        .send(incidentBody(site, service, { impact: 'site_down', urgency: 'high' }))
        .expect(201);
      expect(res.body).toMatchObject({
        reference: expect.stringMatching(/^INC-\d{6,}$/),
        status: 'new',
        priority: 'P1',
        impact: 'site_down',
        urgency: 'high',
        channel: 'api',
        site: { code: site.code, name: site.name, class: 'community_health' },
        trust: { code: trustCode },
        service: service.code,
        summary: 'Wi-Fi down in outpatients',
        priorityOverridden: false,
        assignee: null,
      });
      expect(Date.parse(res.body.reportedAt)).toBeLessThanOrEqual(Date.now());
      const again = await t.http().get(`/api/incidents/${res.body.reference}`).set(agent.auth).expect(200);
      expect(again.body).toEqual(res.body);
    });

    it('sends an acknowledgement .eml with the reference in the subject and a working status link', async () => {
      const { site, service } = await incidentWorld(t);
      const body = incidentBody(site, service);
      const { reference } = await createIncident(t, agent.auth, body);
      const file = await waitFor(() => findEml(outbox, `[${reference}]`), `an .eml for ${reference}`);
      const mail = await simpleParser(await readFile(file));
      expect(mail.subject).toContain(`[${reference}]`);
      expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
      expect((mail.to as { text: string }).text).toContain(body.reporter.email);
      const link = /https?:\/\/\S+\/report\/status\/[A-Za-z0-9_.-]+/.exec(mail.text ?? '')?.[0];
      expect(link).toBeDefined();
    });

    it('accepts a reportedAt in the past and refuses one in the future', async () => {
      const { site, service } = await incidentWorld(t);
      const past = '2026-01-05T08:30:00.000Z';
      const ok = await t
        .http()
        .post('/api/incidents')
        .set(agent.auth)
        .send(incidentBody(site, service, { reportedAt: past }))
        .expect(201);
      expect(ok.body.reportedAt).toBe(past);
      const future = new Date(Date.now() + 3_600_000).toISOString();
      const res = await t
        .http()
        .post('/api/incidents')
        .set(agent.auth)
        .send(incidentBody(site, service, { reportedAt: future }))
        .expect(400);
      expect(res.body.error).toBe('INCIDENT.REPORTED_AT_IN_FUTURE');
    });

    it('refuses a reportedAt before 2000-01-01 as a typo, and takes one from 2000 on', async () => {
      const { site, service } = await incidentWorld(t);
      const before = await counts(t);
      const typo = await t
        .http()
        .post('/api/incidents')
        .set(agent.auth)
        .send(incidentBody(site, service, { reportedAt: '1999-12-31T23:59:59Z' }))
        .expect(400);
      expect(typo.body.fields).toEqual([
        { field: 'reportedAt', reasons: [expect.stringMatching(/2000-01-01/)] },
      ]);
      expect(await counts(t)).toEqual(before);
      const oldest = await t
        .http()
        .post('/api/incidents')
        .set(agent.auth)
        .send(incidentBody(site, service, { reportedAt: '2000-01-01T00:00:00.000Z' }))
        .expect(201);
      expect(oldest.body.reportedAt).toBe('2000-01-01T00:00:00.000Z');
    });

    it('keeps one-line fields on one line and refuses a reporter name of only whitespace', async () => {
      const { site, service } = await incidentWorld(t);
      const res = await t
        .http()
        .post('/api/incidents')
        .set(agent.auth)
        .send(
          incidentBody(site, service, {
            summary: 'Wi-Fi down\r\nBcc: everyone@example.test',
            description: 'Line one\nLine two',
            reporter: { name: 'Dr\r\nTest  Reporter\n' },
          }),
        )
        .expect(201);
      expect(res.body).toMatchObject({
        summary: 'Wi-Fi down Bcc: everyone@example.test',
        description: 'Line one\nLine two',
        reporter: { name: 'Dr Test  Reporter' },
      });
      const patched = await t
        .http()
        .patch(`/api/incidents/${res.body.reference}`)
        .set(agent.auth)
        .send({ summary: 'Changed\rsummary' })
        .expect(200);
      expect(patched.body.summary).toBe('Changed summary');
      const before = await counts(t);
      const blank = await t
        .http()
        .post('/api/incidents')
        .set(agent.auth)
        .send(incidentBody(site, service, { reporter: { name: ' \t ' } }))
        .expect(400);
      expect(blank.body.fields.map((f: { field: string }) => f.field)).toEqual(['reporter.name']);
      expect(await counts(t)).toEqual(before);
    });

    it('records a priority override with its reason, and refuses one without', async () => {
      const { site, service } = await incidentWorld(t);
      const res = await t
        .http()
        .post('/api/incidents')
        .set(agent.auth)
        .send(
          incidentBody(site, service, {
            impact: 'one_user',
            urgency: 'low',
            priority: 'P2',
            priorityReason: 'Consultant cannot run clinic',
          }),
        )
        .expect(201);
      expect(res.body).toMatchObject({
        priority: 'P2',
        priorityOverridden: true,
        priorityReason: 'Consultant cannot run clinic',
      });
      const bad = await t
        .http()
        .post('/api/incidents')
        .set(agent.auth)
        .send(incidentBody(site, service, { priority: 'P1' }))
        .expect(400);
      expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['priorityReason']);
    });

    it('lists every bad field with 400 and saves nothing', async () => {
      const before = await counts(t);
      const res = await t
        .http()
        .post('/api/incidents')
        .set(agent.auth)
        .send({
          siteCode: 'abc',
          impact: 'huge',
          urgency: 'now',
          summary: '',
          reporter: { email: 'nope' },
          extra: true,
        })
        .expect(400);
      const fields = (res.body.fields as { field: string }[]).map((f) => f.field).sort();
      expect(fields).toEqual(
        [
          'description',
          'extra',
          'impact',
          'reporter.email',
          'reporter.name',
          'service',
          'siteCode',
          'summary',
          'urgency',
        ].sort(),
      );
      expect(await counts(t)).toEqual(before);
    });

    it('answers an unknown site or service with 422 naming it, saving nothing', async () => {
      const { site, service } = await incidentWorld(t);
      const before = await counts(t);
      const noSite = await t
        .http()
        .post('/api/incidents')
        .set(agent.auth)
        .send(incidentBody(site, service, { siteCode: '99999999' }))
        .expect(422);
      expect(noSite.body).toMatchObject({ error: 'DIRECTORY.UNKNOWN_REFERENCE', field: 'siteCode' });
      const noService = await t
        .http()
        .post('/api/incidents')
        .set(agent.auth)
        .send(incidentBody(site, service, { service: 'no_such' }))
        .expect(422);
      expect(noService.body).toMatchObject({ field: 'service' });
      expect(await counts(t)).toEqual(before);
    });

    it("stores markup as text and returns it unchanged (escaping is the renderer's job)", async () => {
      const { site, service } = await incidentWorld(t);
      const summary = '<img src=x onerror=alert(1)> printer';
      const { reference } = await createIncident(t, agent.auth, incidentBody(site, service, { summary }));
      const res = await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200);
      expect(res.body.summary).toBe(summary);
    });

    it('reuses the contact for the same reporter email (case-insensitive)', async () => {
      const { site, service } = await incidentWorld(t);
      const email = `same.${site.code}@example.test`;
      await createIncident(t, agent.auth, incidentBody(site, service, { reporter: { name: 'A', email } }));
      await createIncident(
        t,
        agent.auth,
        incidentBody(site, service, { reporter: { name: 'A', email: email.toUpperCase() } }),
      );
      const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM contact WHERE email = $1', [email]);
      expect(n).toBe(1);
    });

    it('links concurrent creates from one new reporter address to one contact', async () => {
      const { site, service } = await incidentWorld(t);
      const email = `burst.${site.code}@example.test`;
      await Promise.all(
        [1, 2, 3, 4, 5, 6].map(() =>
          createIncident(t, agent.auth, incidentBody(site, service, { reporter: { name: 'B', email } })),
        ),
      );
      const contacts = await t.db.query('SELECT id FROM contact WHERE email = $1', [email]);
      expect(contacts).toHaveLength(1);
      const linked = await t.db.query(
        'SELECT DISTINCT reporter_contact_id AS id FROM incident WHERE reporter_email = $1',
        [email],
      );
      expect(linked).toEqual([{ id: contacts[0].id }]);
    });
  });

  describe('status machine', () => {
    it('walks new → assigned → in_progress → awaiting_caller → in_progress → resolved → closed, recording each step', async () => {
      const { site, service } = await incidentWorld(t);
      const { reference } = await createIncident(t, agent.auth, incidentBody(site, service));
      const assigned = await t
        .http()
        .post(`/api/incidents/${reference}/assign`)
        .set(agent.auth)
        .send({ assigneeId: agent.user.id })
        .expect(200);
      expect(assigned.body).toMatchObject({ status: 'assigned', assignee: { id: agent.user.id } });
      for (const to of ['in_progress', 'awaiting_caller', 'in_progress']) {
        await t
          .http()
          .post(`/api/incidents/${reference}/transitions`)
          .set(agent.auth)
          .send({ to })
          .expect(200);
      }
      const noResolution = await t
        .http()
        .post(`/api/incidents/${reference}/transitions`)
        .set(agent.auth)
        .send({ to: 'resolved' })
        .expect(400);
      expect(noResolution.body.error).toBe('INCIDENT.RESOLUTION_REQUIRED');
      const resolved = await t
        .http()
        .post(`/api/incidents/${reference}/transitions`)
        .set(agent.auth)
        .send({ to: 'resolved', resolution: { code: 'fixed', notes: 'Rebooted the controller' } })
        .expect(200);
      expect(resolved.body).toMatchObject({
        status: 'resolved',
        resolution: { code: 'fixed', notes: 'Rebooted the controller' },
        allowedTransitions: ['in_progress', 'closed'],
      });
      await t
        .http()
        .post(`/api/incidents/${reference}/transitions`)
        .set(agent.auth)
        .send({ to: 'closed' })
        .expect(200);

      const timeline = await t.http().get(`/api/incidents/${reference}/timeline`).set(agent.auth).expect(200);
      const events = (timeline.body.items as { event: string; data: { to?: string } }[]).map((e) =>
        e.event === 'status_changed' ? `status:${e.data.to}` : e.event,
      );
      expect(events).toEqual([
        'created',
        'assigned',
        'status:assigned',
        'status:in_progress',
        'status:awaiting_caller',
        'status:in_progress',
        'status:resolved',
        'status:closed',
      ]);
      const audit = await t.http().get(`/api/incidents/${reference}/audit`).set(agent.auth).expect(200);
      expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual([
        'incident.created',
        'incident.assigned',
        'incident.transitioned',
        'incident.transitioned',
        'incident.transitioned',
        'incident.transitioned',
        'incident.transitioned',
        'incident.transitioned',
      ]);
      expect(audit.body.items[2]).toMatchObject({
        actor: agent.user.email,
        changes: [{ field: 'status', old: 'new', new: 'assigned' }],
      });
    });

    it('refuses a disallowed transition with 409, the allowed states, and no change', async () => {
      const { site, service } = await incidentWorld(t);
      const { reference } = await createIncident(t, agent.auth, incidentBody(site, service));
      const before = await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200);
      const res = await t
        .http()
        .post(`/api/incidents/${reference}/transitions`)
        .set(agent.auth)
        .send({ to: 'closed' })
        .expect(409);
      expect(res.body).toMatchObject({
        error: 'INCIDENT.INVALID_TRANSITION',
        allowed: ['assigned', 'in_progress', 'awaiting_caller', 'awaiting_supplier', 'resolved', 'cancelled'],
      });
      const after = await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200);
      expect(after.body).toEqual(before.body);
      const audit = await t.http().get(`/api/incidents/${reference}/audit`).set(agent.auth).expect(200);
      expect(audit.body.items).toHaveLength(1);
    });

    it('reopens a resolved incident within the window', async () => {
      const { site, service } = await incidentWorld(t);
      const { reference } = await createIncident(t, agent.auth, incidentBody(site, service));
      await t
        .http()
        .post(`/api/incidents/${reference}/transitions`)
        .set(agent.auth)
        .send({ to: 'resolved', resolution: { code: 'workaround', notes: 'Use the wired port' } })
        .expect(200);
      const reopened = await t
        .http()
        .post(`/api/incidents/${reference}/transitions`)
        .set(agent.auth)
        .send({ to: 'in_progress', comment: 'Caller says it is back' })
        .expect(200);
      expect(reopened.body).toMatchObject({ status: 'in_progress', resolution: null, resolvedAt: null });
    });
  });

  describe('update, replies, notes, search', () => {
    it('recomputes priority when impact changes and records old and new values', async () => {
      const { site, service } = await incidentWorld(t);
      const { reference } = await createIncident(
        t,
        agent.auth,
        incidentBody(site, service, { impact: 'one_user', urgency: 'medium' }),
      );
      const res = await t
        .http()
        .patch(`/api/incidents/${reference}`)
        .set(agent.auth)
        .send({ impact: 'site_down' })
        .expect(200);
      expect(res.body.priority).toBe('P2');
      const audit = await t.http().get(`/api/incidents/${reference}/audit`).set(agent.auth).expect(200);
      expect(audit.body.items[1].changes).toEqual(
        expect.arrayContaining([
          { field: 'impact', old: 'one_user', new: 'site_down' },
          { field: 'priority', old: 'P4', new: 'P2' },
        ]),
      );
    });

    it('finds incidents by words in the summary, the description and the timeline, and by reference', async () => {
      const { site, service } = await incidentWorld(t);
      const word = `zq${Date.now().toString(36)}`;
      const a = await createIncident(
        t,
        agent.auth,
        incidentBody(site, service, { summary: `Switch ${word}` }),
      );
      const b = await createIncident(t, agent.auth, incidentBody(site, service));
      await t
        .http()
        .post(`/api/incidents/${b.reference}/notes`)
        .set(agent.auth)
        .send({ body: `Cabinet ${word}b needs a key` })
        .expect(201);
      const bySummary = await t.http().get('/api/incidents').query({ q: word }).set(agent.auth).expect(200);
      expect(bySummary.body.items.map((i: { reference: string }) => i.reference)).toEqual([a.reference]);
      const byNote = await t
        .http()
        .get('/api/incidents')
        .query({ q: `${word}b` })
        .set(agent.auth)
        .expect(200);
      expect(byNote.body.items.map((i: { reference: string }) => i.reference)).toEqual([b.reference]);
      const byRef = await t
        .http()
        .get('/api/incidents')
        .query({ q: a.reference })
        .set(agent.auth)
        .expect(200);
      expect(byRef.body.items.map((i: { reference: string }) => i.reference)).toEqual([a.reference]);
    });

    it('filters by site, status and priority and pages with a cursor in priority order', async () => {
      const { site, service } = await incidentWorld(t);
      const made = [];
      for (const [impact, urgency] of [
        ['one_user', 'low'],
        ['site_down', 'high'],
        ['several_users', 'medium'],
        ['site_down', 'medium'],
      ]) {
        made.push(await createIncident(t, agent.auth, incidentBody(site, service, { impact, urgency })));
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string | number> = {
          site: site.code,
          sort: 'priority',
          limit: 3,
          status: 'new',
        };
        if (cursor) query.cursor = cursor;
        const page = await t.http().get('/api/incidents').query(query).set(agent.auth).expect(200);
        seen.push(...page.body.items.map((i: { priority: string }) => i.priority));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['P1', 'P2', 'P3', 'P4']);
      const p1 = await t
        .http()
        .get('/api/incidents')
        .query({ site: site.code, priority: 'P1,P2' })
        .set(agent.auth)
        .expect(200);
      expect(p1.body.items).toHaveLength(2);
      await t.http().get('/api/incidents').query({ status: 'open' }).set(agent.auth).expect(400);
    });

    it('filters by trust and service codes; an unknown code finds nothing', async () => {
      const one = await incidentWorld(t);
      const two = await incidentWorld(t);
      const inOne = await createIncident(t, agent.auth, incidentBody(one.site, one.service));
      const inTwo = await createIncident(t, agent.auth, incidentBody(two.site, two.service));
      const refs = async (query: Record<string, string>): Promise<string[]> =>
        (await t.http().get('/api/incidents').query(query).set(agent.auth).expect(200)).body.items.map(
          (i: { reference: string }) => i.reference,
        );
      expect(await refs({ trust: one.trustCode })).toEqual([inOne.reference]);
      expect(await refs({ service: two.service.code })).toEqual([inTwo.reference]);
      expect(await refs({ trust: one.trustCode, service: two.service.code })).toEqual([]);
      expect(await refs({ trust: 'NOSUCH' })).toEqual([]);
    });

    it('shows each incident in a list exactly as GET by reference shows it, assignee, resolution and SLA included', async () => {
      const world = await incidentWorld(t);
      const open = await createIncident(
        t,
        agent.auth,
        incidentBody(world.site, world.service, { summary: '<b>Ward 3</b> printer & "scanner"' }),
      );
      const done = await createIncident(t, agent.auth, incidentBody(world.site, world.service));
      await t
        .http()
        .post(`/api/incidents/${open.reference}/assign`)
        .set(agent.auth)
        .send({ assigneeId: agent.user.id })
        .expect(200);
      await t
        .http()
        .post(`/api/incidents/${done.reference}/transitions`)
        .set(agent.auth)
        .send({ to: 'resolved', resolution: { code: 'fixed', notes: 'Replaced the access point' } })
        .expect(200);
      const list = (
        await t.http().get('/api/incidents').query({ trust: world.trustCode }).set(agent.auth).expect(200)
      ).body.items as { reference: string }[];
      expect(list.map((i) => i.reference).sort()).toEqual([open.reference, done.reference].sort());
      for (const item of list) {
        const one = (await t.http().get(`/api/incidents/${item.reference}`).set(agent.auth).expect(200))
          .body as Record<string, unknown>;
        expect(item).toEqual(one);
      }
      const shown = list.find((i) => i.reference === open.reference) as unknown as {
        assignee: { id: string };
        summary: string;
      };
      expect(shown.assignee.id).toBe(agent.user.id);
      expect(shown.summary).toBe('<b>Ward 3</b> printer & "scanner"');
    });

    it('keeps internal notes out of reach of the reporter-facing timeline and emails public desk replies', async () => {
      const { site, service } = await incidentWorld(t);
      const body = incidentBody(site, service);
      const { reference } = await createIncident(t, agent.auth, body);
      await t
        .http()
        .post(`/api/incidents/${reference}/notes`)
        .set(agent.auth)
        .send({ body: 'internal only' })
        .expect(201);
      const reply = await t
        .http()
        .post(`/api/incidents/${reference}/replies`)
        .set(agent.auth)
        .send({ body: 'Engineer booked for 14:00 <b>today</b>' })
        .expect(201);
      expect(reply.body).toMatchObject({
        kind: 'public_reply',
        body: 'Engineer booked for 14:00 <b>today</b>',
      });
      const file = await waitFor(() => findEml(outbox, `Re: [${reference}]`), 'the reply email');
      const mail = await simpleParser(await readFile(file));
      expect(mail.text).toContain('Engineer booked for 14:00 <b>today</b>');
      expect(mail.html).not.toContain('<b>today</b>');
      expect(mail.inReplyTo).toBeDefined();
    });
  });

  describe('attachments', () => {
    it('stores a file, sniffs its type and serves it back as a download', async () => {
      const { site, service } = await incidentWorld(t);
      const { reference } = await createIncident(t, agent.auth, incidentBody(site, service));
      const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
      const up = await t
        .http()
        .post(`/api/incidents/${reference}/attachments`)
        .set(agent.auth)
        .attach('file', png, { filename: 'screen.txt', contentType: 'text/html' })
        .expect(201);
      // The name's extension must match the sniffed type: a PNG called screen.txt is served as screen.txt.png.
      expect(up.body).toMatchObject({
        filename: 'screen.txt.png',
        contentType: 'image/png',
        size: png.length,
      });
      const down = await t
        .http()
        .get(`/api/incidents/${reference}/attachments/${up.body.id}`)
        .set(agent.auth)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(down.headers['content-disposition']).toMatch(/^attachment; filename="screen.txt.png"/);
      expect(down.headers['content-type']).toBe('image/png');
      expect(Buffer.compare(down.body as Buffer, png)).toBe(0);
    });

    it.each([
      [
        'HTML sniffed as text',
        Buffer.from('<html><script>alert(1)</script></html>'),
        'page.html',
        'page.html.txt',
      ],
      ['text named as text', Buffer.from('plain notes'), 'notes.TXT', 'notes.TXT'],
      ['CSV kept as CSV', Buffer.from('a,b\n1,2\n'), 'export.csv', 'export.csv'],
      [
        'a PDF with no extension',
        Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1'),
        'scan',
        'scan.pdf',
      ],
      [
        'unknown bytes named as a program',
        Buffer.from([0, 1, 2, 3, 250, 251, 252]),
        'setup.exe',
        'setup.exe.bin',
      ],
      [
        'bidirectional controls (an RLO hiding .exe)',
        Buffer.from('plain notes'),
        'invoice\u202Etxt.exe\u2066\u2069\u202A\u202B\u202C\u202D',
        'invoicetxt.exe.txt',
      ],
    ])(
      'serves %s under a name whose extension matches its sniffed type',
      async (_what, data, name, served) => {
        const { site, service } = await incidentWorld(t);
        const { reference } = await createIncident(t, agent.auth, incidentBody(site, service));
        const up = await t
          .http()
          .post(`/api/incidents/${reference}/attachments`)
          .set(agent.auth)
          .attach('file', data, name)
          .expect(201);
        expect(up.body.filename).toBe(served);
        const down = await t
          .http()
          .get(`/api/incidents/${reference}/attachments/${up.body.id}`)
          .set(agent.auth)
          .expect(200);
        expect(down.headers['content-disposition']).toContain(`filename="${served}"`);
        expect(down.headers['content-disposition']).not.toMatch(/%E2%80%AE|%E2%81%A6/i);
      },
    );

    it('refuses an empty file with 400 naming the field, as the form does, storing nothing', async () => {
      const { site, service } = await incidentWorld(t);
      const { reference } = await createIncident(t, agent.auth, incidentBody(site, service));
      const res = await t
        .http()
        .post(`/api/incidents/${reference}/attachments`)
        .set(agent.auth)
        .attach('file', Buffer.alloc(0), 'empty.txt')
        .expect(400);
      expect(res.body.fields).toEqual([{ field: 'file', reasons: [expect.stringMatching(/empty/)] }]);
      const list = await t.http().get(`/api/incidents/${reference}/attachments`).set(agent.auth).expect(200);
      expect(list.body.items).toEqual([]);
    });

    it('refuses a file over the per-file limit and files over the per-incident total with 413 naming the limit', async () => {
      const { site, service } = await incidentWorld(t);
      const { reference } = await createIncident(t, agent.auth, incidentBody(site, service));
      const big = await t
        .http()
        .post(`/api/incidents/${reference}/attachments`)
        .set(agent.auth)
        .attach('file', Buffer.alloc(3000, 65), 'big.txt')
        .expect(413);
      expect(big.body).toMatchObject({ error: 'ATTACHMENT.TOO_LARGE', limitBytes: 2048 });
      expect(big.body.message).toContain('2 KB');
      await t
        .http()
        .post(`/api/incidents/${reference}/attachments`)
        .set(agent.auth)
        .attach('file', Buffer.alloc(2000, 65), 'a.txt')
        .expect(201);
      const total = await t
        .http()
        .post(`/api/incidents/${reference}/attachments`)
        .set(agent.auth)
        .attach('file', Buffer.alloc(2000, 66), 'b.txt')
        .expect(413);
      expect(total.body.message).toContain('3 KB per incident');
      const list = await t.http().get(`/api/incidents/${reference}/attachments`).set(agent.auth).expect(200);
      expect(list.body.items).toHaveLength(1);
    });
  });

  it('keeps the audit log append-only in the database itself', async () => {
    await expect(t.db.query('DELETE FROM audit_entry')).rejects.toThrow(/append-only/);
    await expect(t.db.query("UPDATE audit_entry SET action = 'x'")).rejects.toThrow(/append-only/);
  });
});

async function findEml(dir: string, needle: string): Promise<string | undefined> {
  for (const f of await readdir(dir)) {
    if (!f.endsWith('.eml')) continue;
    const path = join(dir, f);
    const mail = await simpleParser(await readFile(path));
    if (mail.subject?.includes(needle)) return path;
  }
  return undefined;
}
