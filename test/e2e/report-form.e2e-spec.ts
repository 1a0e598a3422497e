import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Response } from 'supertest';
import { StatusLinkService } from '../../src/modules/incidents/status-link.service';
import {
  createService,
  createSite,
  createSupplier,
  createTrust,
  uniqueDigits,
  uniqueEmail,
} from '../factories/directory.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { rowCounts } from '../helpers/row-counts';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** Rows the form could write; "nothing saved" means none of these moved. */
const counts = (t: TestApp) =>
  rowCounts(t.db, ['incidents', 'events', 'contacts', 'outbound', 'attachments']);

interface FormSession {
  cookie: string;
  csrf: string;
}

let nextAddress = 1;
/** A client address of its own per submission (trust proxy is loopback), so the per-address limit stays out of the way. */
const freshIp = (): string => `198.51.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;

const csrfOf = (html: string): string => {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token in the page');
  return token;
};

describe('public web fault form (/report)', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let outbox: string;

  beforeAll(async () => {
    outbox = await mkdtemp(join(tmpdir(), 'rosedesk-report-outbox-'));
    t = await createTestApp({
      env: {
        OUTBOX_DIR: outbox,
        REPORT_RATE_LIMIT_PER_EMAIL: '2',
        REPORT_RATE_LIMIT_PER_IP: '3',
        ATTACHMENT_MAX_BYTES: '2048',
      },
    });
    agent = await signedInUser(t, 'agent');
  });
  afterAll(async () => {
    await t.close();
    await rm(outbox, { recursive: true, force: true });
  });

  /** A trust with two sites and a service, as most tests need. */
  async function world(): Promise<{
    trustCode: string;
    trustName: string;
    siteCode: string;
    siteName: string;
    otherSiteCode: string;
    service: string;
  }> {
    const trust = await createTrust(t.db);
    const tag = uniqueDigits(6);
    const site = await createSite(t.db, trust, { name: `Zebra Crossing Surgery ${tag}`, town: 'Chorley' });
    const other = await createSite(t.db, trust, { name: `Fulwood Clinic ${tag}`, town: 'Preston' });
    const service = await createService(t.db, await createSupplier(t.db), { name: 'Wireless network' });
    return {
      trustCode: trust.code,
      trustName: trust.name,
      siteCode: site.code,
      siteName: site.name,
      otherSiteCode: other.code,
      service: service.code,
    };
  }

  async function openForm(): Promise<FormSession & { html: string; res: Response }> {
    const res = await t.http().get('/report').expect(200);
    const cookie = (res.headers['set-cookie'] as unknown as string[])
      .map((c) => c.split(';')[0])
      .find((c) => c.startsWith('rosedesk_report_csrf='));
    if (!cookie) throw new Error('no CSRF cookie');
    return { cookie, csrf: csrfOf(res.text), html: res.text, res };
  }

  function fields(
    w: Awaited<ReturnType<typeof world>>,
    overrides: Record<string, string> = {},
  ): Record<string, string> {
    return {
      name: 'Dr Asha Patel',
      email: uniqueEmail('asha'),
      phone: '01772 123456',
      trust: w.trustCode,
      q: '',
      site: w.siteCode,
      service: w.service,
      affected: 'several',
      urgency: 'high',
      summary: 'No Wi-Fi in outpatients',
      description: 'No laptop can join the clinical Wi-Fi since 09:10.\nRebooted one laptop: no change.',
      ...overrides,
    };
  }

  function post(session: FormSession | null, body: Record<string, string>, ip = freshIp()) {
    const req = t.http().post('/report').set('X-Forwarded-For', ip).type('form');
    if (session) req.set('Cookie', session.cookie);
    return req.send(session ? { _csrf: session.csrf, ...body } : body);
  }

  async function submitOk(
    body: Record<string, string>,
    ip?: string,
  ): Promise<{ token: string; reference: string }> {
    const session = await openForm();
    const res = await post(session, body, ip).expect(303);
    const token = /^\/report\/thanks\/([A-Za-z0-9_.-]+)$/.exec(res.headers.location)?.[1];
    expect(token).toBeDefined();
    const thanks = await t.http().get(res.headers.location).expect(200);
    const reference = /INC-\d{6,}/.exec(thanks.text)?.[0];
    expect(reference).toBeDefined();
    return { token: token as string, reference: reference as string };
  }

  describe('the form page', () => {
    it('has a label for every control, fieldsets for radio groups, one h1, a skip link and a CSRF token bound to a cookie', async () => {
      const w = await world();
      const { html, res } = await openForm();
      expect(html).toMatch(/^<!DOCTYPE html>\s*<html lang="en-GB">/);
      expect(html.match(/<h1[ >]/g)).toHaveLength(1);
      expect(html).toContain('<a class="skip-link" href="#main">Skip to main content</a>');
      expect(html).toContain('<main id="main"');
      expect(html).toMatch(
        /<form method="post" action="\/report" enctype="multipart\/form-data" novalidate>/,
      );
      const controls = [...html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)]
        .map((m) => m[2])
        .filter((attrs) => !/type="hidden"/.test(attrs));
      const ids = controls.map((attrs) => /\bid="([^"]+)"/.exec(attrs)?.[1]);
      expect(ids).not.toContain(undefined);
      for (const id of ids) expect(html).toContain(`for="${id}"`);
      for (const name of [
        'name',
        'email',
        'phone',
        'trust',
        'q',
        'site',
        'service',
        'affected',
        'urgency',
        'summary',
        'description',
        'attachment',
      ]) {
        expect(html).toContain(`name="${name}"`);
      }
      for (const legend of [
        'Which service has the fault?',
        'How many people are affected?',
        'How urgent is it?',
      ]) {
        expect(html).toContain(`<legend class="legend">${legend}</legend>`);
      }
      expect(html).toContain('value="whole_site"');
      expect(html).toContain('value="several"');
      expect(html).toContain('value="just_me"');
      expect(html).toMatch(
        /<label class="radio-label" for="urgency-high">High<\/label>\s*<p class="hint radio-hint" id="urgency-high-hint">Patient care is stopped/,
      );
      expect(html).toContain(`<option value="${w.trustCode}">${w.trustName}</option>`);
      expect(html).toContain('Wireless network');
      const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
        c.startsWith('rosedesk_report_csrf='),
      );
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).toMatch(/Path=\/report/);
      expect(cookie).not.toMatch(/Secure/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      await t
        .http()
        .get('/report/static/report.css')
        .expect(200)
        .expect('Content-Type', /text\/css/);
      await t
        .http()
        .get('/report/static/site-filter.js')
        .expect(200)
        .expect('Content-Type', /javascript/);
      await t.http().get('/report/static/..%2Fpackage.json').expect(404);
    });

    it('narrows the site list by site code and by name without JavaScript (GET /report/sites)', async () => {
      const w = await world();
      const byCode = await t
        .http()
        .get('/report/sites')
        .query({ trust: w.trustCode, q: w.siteCode })
        .expect(200);
      expect(byCode.text).toContain(`<option value="${w.siteCode}"`);
      expect(byCode.text).not.toContain(`<option value="${w.otherSiteCode}"`);
      expect(byCode.text).toContain(`1 site matches “${w.siteCode}” in ${w.trustName}`);
      expect(byCode.text).toMatch(new RegExp(`<option value="${w.trustCode}" selected>`));

      const byName = await t
        .http()
        .get('/report/sites')
        .query({ trust: w.trustCode, q: 'zebra crossing' })
        .expect(200);
      expect(byName.text).toContain(`<option value="${w.siteCode}"`);
      expect(byName.text).not.toContain(`<option value="${w.otherSiteCode}"`);

      const byTrust = await t.http().get('/report/sites').query({ trust: w.trustCode }).expect(200);
      expect(byTrust.text).toContain(`<option value="${w.siteCode}"`);
      expect(byTrust.text).toContain(`<option value="${w.otherSiteCode}"`);
      expect(byTrust.text).toContain(`2 sites match in ${w.trustName}`);

      const none = await t
        .http()
        .get('/report/sites')
        .query({ trust: w.trustCode, q: 'no-such-place' })
        .expect(200);
      expect(none.text).toContain('No sites match “no-such-place”');
    });

    it('finds sites from inside the filled-in form (action=find-sites), keeping every value and saving nothing', async () => {
      const w = await world();
      const before = await counts(t);
      const session = await openForm();
      const body = fields(w, { site: '', q: 'Fulwood', description: 'Typed before searching <b>kept</b>' });
      const res = await post(session, { ...body, action: 'find-sites' }).expect(200);
      expect(res.text).toContain(`<option value="${w.otherSiteCode}"`);
      expect(res.text).not.toContain(`<option value="${w.siteCode}"`);
      expect(res.text).toContain('Typed before searching &lt;b&gt;kept&lt;/b&gt;</textarea>');
      expect(res.text).toContain(`value="${body.email}"`);
      expect(res.text).not.toContain('There is a problem');
      expect(await counts(t)).toEqual(before);
    });
  });

  describe('submitting', () => {
    it('makes one incident of a form sent twice (a double click, the back button), answering with the same thanks page', async () => {
      const w = await world();
      const body = fields(w);
      const count = async (): Promise<number> =>
        Number(
          (
            await t.db.query<{ n: string }[]>(
              'SELECT count(*) AS n FROM incident WHERE reporter_email = $1',
              [body.email.toLowerCase()],
            )
          )[0].n,
        );
      const session = await openForm();
      // Sent twice at once (a double click), then once more later (the back button and send again).
      const [a, b] = await Promise.all([post(session, body), post(session, body)]);
      const later = await post(session, body);
      for (const res of [a, b, later]) expect(res.status).toBe(303);
      const references = await Promise.all(
        [a, b, later].map(
          async (res) => /INC-\d{6,}/.exec((await t.http().get(res.headers.location).expect(200)).text)?.[0],
        ),
      );
      expect(references[0]).toMatch(/^INC-\d{6,}$/);
      expect(new Set(references).size).toBe(1);
      expect(await count()).toBe(1);
      // A new form from the same browser is a new report.
      const next = await post(await openForm(), fields(w)).expect(303);
      const nextReference = /INC-\d{6,}/.exec(
        (await t.http().get(next.headers.location).expect(200)).text,
      )?.[0];
      expect(nextReference).not.toBe(references[0]);
    });

    it('creates a web incident, redirects (303) to a thanks page with the reference, and emails a status link', async () => {
      const w = await world();
      const body = fields(w, { affected: 'whole_site', urgency: 'medium' });
      const { token, reference } = await submitOk(body);

      const api = await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200);
      expect(api.body).toMatchObject({
        reference,
        channel: 'web',
        status: 'new',
        impact: 'site_down',
        urgency: 'medium',
        priority: 'P2',
        site: { code: w.siteCode },
        service: w.service,
        summary: body.summary,
        description: body.description,
        reporter: { name: 'Dr Asha Patel', email: body.email, phone: '+441772123456' },
      });

      const file = await waitFor(
        () => findEml(outbox, `[${reference}]`),
        `the acknowledgement for ${reference}`,
      );
      const mail = await simpleParser(await readFile(file));
      expect(mail.subject).toContain(`[${reference}]`);
      expect((mail.to as { text: string }).text).toContain(body.email);
      const link = /https?:\/\/\S+?(\/report\/status\/[A-Za-z0-9_.-]+)/.exec(mail.text ?? '');
      expect(link).not.toBeNull();
      expect(link?.[1]).toBe(`/report/status/${token}`);

      const status = await t
        .http()
        .get(link?.[1] as string)
        .expect(200);
      expect(status.text).toContain(reference);
      expect(status.text).toContain('<strong class="tag">Received</strong>');
      expect(status.text).toContain(w.siteName);
      expect(status.text).toContain('P2 (high)');
      expect(status.text).toContain('Fault reported');
      expect(status.text.match(/<h1[ >]/g)).toHaveLength(1);
    });

    it('lists every bad field in an error summary (400), keeps the values, links to the fields and saves nothing', async () => {
      const w = await world();
      const before = await counts(t);
      const session = await openForm();
      const res = await post(session, {
        name: '',
        email: 'not-an-email',
        phone: '12',
        trust: w.trustCode,
        site: '',
        service: '',
        affected: 'everyone',
        urgency: '',
        summary: 'x'.repeat(201),
        description: '   ',
      }).expect(400);
      const html = res.text;
      expect(html).toContain('<title>Error: Report a network fault');
      expect(html).toMatch(
        /<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>/,
      );
      const links = [...html.matchAll(/<li><a href="#([^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => m[1]);
      expect(links).toEqual([
        'name',
        'email',
        'phone',
        'site',
        'service-0',
        'affected-whole_site',
        'urgency-high',
        'summary',
        'description',
      ]);
      expect(html).toContain('Enter your name');
      expect(html).toContain('Enter an email address in the correct format');
      expect(html).toContain('Choose how urgent the fault is');
      expect(html).toContain('The short title must be 200 characters or fewer');
      expect(html).toContain(
        'value="not-an-email" aria-describedby="email-hint email-error" aria-invalid="true"',
      );
      expect(html).toContain(
        '<p class="error-message" id="email-error"><span class="visually-hidden">Error:</span>',
      );
      expect(html).toContain(`<option value="${w.trustCode}" selected>`);
      expect(await counts(t)).toEqual(before);
    });

    it('answers a tampered site or service code with 422 and saves nothing', async () => {
      const w = await world();
      const before = await counts(t);
      const session = await openForm();
      const site = await post(session, fields(w, { site: '99999999', trust: '' })).expect(422);
      expect(site.text).toContain('<a href="#site">Choose a site from the list</a>');
      const service = await post(session, fields(w, { service: 'no_such_service' })).expect(422);
      expect(service.text).toContain('<a href="#service-0">Choose a service from the list</a>');
      const wrongTrust = await post(session, fields(w, { trust: (await createTrust(t.db)).code })).expect(
        400,
      );
      expect(wrongTrust.text).toContain('is not in the trust you chose');
      expect(await counts(t)).toEqual(before);
    });

    it('keeps the reporter name on one line', async () => {
      const w = await world();
      const { reference } = await submitOk(fields(w, { name: 'Asha\r\nPatel\r\nBcc: x@example.test' }));
      const res = await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200);
      expect(res.body.reporter.name).toBe('Asha Patel Bcc: x@example.test');
    });

    it('refuses a POST without a valid CSRF token (403) and saves nothing', async () => {
      const w = await world();
      const before = await counts(t);
      const session = await openForm();
      const noToken = await t
        .http()
        .post('/report')
        .set('Cookie', session.cookie)
        .type('form')
        .send(fields(w))
        .expect(403);
      expect(noToken.text).toContain('Your form has expired');
      await post({ cookie: session.cookie, csrf: 'forged' }, fields(w)).expect(403);
      await t
        .http()
        .post('/report')
        .type('form')
        .send({ _csrf: session.csrf, ...fields(w) })
        .expect(403);
      const other = await openForm();
      await post({ cookie: other.cookie, csrf: session.csrf }, fields(w)).expect(403);
      expect(await counts(t)).toEqual(before);
    });

    it('stores markup as text and shows it escaped on the status page and in a re-shown form', async () => {
      const w = await world();
      const script = '<script>alert("x")</script>';
      const { token, reference } = await submitOk(
        fields(w, {
          summary: `Printer ${script}`,
          description: `Before ${script} after`,
          name: `Eve <img src=x onerror=alert(1)>`,
        }),
      );
      const api = await t.http().get(`/api/incidents/${reference}`).set(agent.auth).expect(200);
      expect(api.body.description).toBe(`Before ${script} after`);
      const page = await t.http().get(`/report/status/${token}`).expect(200);
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).not.toContain('<img src=x');
      expect(page.text).toContain('Before &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; after');
      expect(page.text).toContain('Eve &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');

      const session = await openForm();
      const again = await post(
        session,
        fields(w, { name: '', summary: `"><script>alert(2)</script>` }),
      ).expect(400);
      expect(again.text).not.toContain('<script>alert(2)');
      expect(again.text).toContain('value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"');
    });

    it('stores an attached file with its sniffed type, and refuses a file over the limit with 413 before saving anything', async () => {
      const w = await world();
      const body = fields(w);
      const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
      const session = await openForm();
      const multipart = (file: Buffer, name: string) => {
        const req = t
          .http()
          .post('/report')
          .set('Cookie', session.cookie)
          .set('X-Forwarded-For', freshIp())
          .field('_csrf', session.csrf);
        for (const [k, v] of Object.entries(body)) req.field(k, v);
        return req.attach('attachment', file, { filename: name, contentType: 'text/html' });
      };
      const ok = await multipart(png, 'screen.txt').expect(303);
      expect(ok.headers.location).toMatch(/\?attachment=stored$/);
      const thanks = await t.http().get(ok.headers.location).expect(200);
      expect(thanks.text).toContain('Your file is attached to the report.');
      const reference = /INC-\d{6,}/.exec(thanks.text)?.[0] as string;
      const list = await t.http().get(`/api/incidents/${reference}/attachments`).set(agent.auth).expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({ filename: 'screen.txt.png', contentType: 'image/png', size: png.length }),
      ]);

      const before = await counts(t);
      const big = await multipart(Buffer.alloc(3000, 65), 'big.txt').expect(413);
      expect(big.text).toContain('<a href="#attachment">The file must be smaller than 2 KB</a>');
      expect(big.text).toContain(`value="${body.email}"`);
      expect(await counts(t)).toEqual(before);
    });
  });

  it('answers a form cut off on the way (a truncated multipart body) with its own 400 page, saving nothing', async () => {
    const w = await world();
    const session = await openForm();
    const before = await counts(t);
    const parts = Object.entries({ _csrf: session.csrf, ...fields(w) }).map(
      ([k, v]) => `--XyZ\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
    );
    const res = await t
      .http()
      .post('/report')
      .set('Cookie', session.cookie)
      .set('X-Forwarded-For', freshIp())
      .set('content-type', 'multipart/form-data; boundary=XyZ')
      .send(
        Buffer.from(
          `${parts.join('')}--XyZ\r\nContent-Disposition: form-data; name="attachment"; filename="a.txt"\r\n` +
            'Content-Type: text/plain\r\n\r\nthe file never ends',
        ),
      )
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Your form did not arrive complete');
    expect(res.text).toContain('Nothing has been saved.');
    expect(await counts(t)).toEqual(before);
  });

  describe('the status page', () => {
    it('takes a comment as a public reply (303 back), shows desk replies, and never shows internal notes', async () => {
      const w = await world();
      const { token, reference } = await submitOk(fields(w));
      await t
        .http()
        .post(`/api/incidents/${reference}/notes`)
        .set(agent.auth)
        .send({ body: 'INTERNAL: caller is a VIP' })
        .expect(201);
      await t
        .http()
        .post(`/api/incidents/${reference}/replies`)
        .set(agent.auth)
        .send({ body: 'An engineer is on the way.' })
        .expect(201);

      const page = await t.http().get(`/report/status/${token}`).expect(200);
      expect(page.text).toMatch(
        /comment from the service desk<\/p>\s*<p class="timeline-text prewrap">An engineer is on the way.<\/p>/,
      );
      expect(page.text).not.toContain(agent.user.email);
      expect(page.text).not.toContain('INTERNAL');
      const cookie = (page.headers['set-cookie'] as unknown as string[])
        .map((c) => c.split(';')[0])
        .find((c) => c.startsWith('rosedesk_report_csrf=')) as string;

      const added = await t
        .http()
        .post(`/report/status/${token}/comments`)
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrfOf(page.text), comment: 'Still down in room 4 <b>and</b> room 5' })
        .expect(303);
      expect(added.headers.location).toBe(`/report/status/${token}?added=1#timeline`);
      const after = await t.http().get(`/report/status/${token}?added=1`).expect(200);
      expect(after.text).toContain('Your comment has been added.');
      expect(after.text).toContain('Still down in room 4 &lt;b&gt;and&lt;/b&gt; room 5');
      expect(after.text).toContain('comment from Dr Asha Patel (you)');
      expect(after.text).not.toContain('INTERNAL');

      const timeline = await t.http().get(`/api/incidents/${reference}/timeline`).set(agent.auth).expect(200);
      const reply = (timeline.body.items as { kind: string; body: string; author: string }[]).find(
        (e) => e.body === 'Still down in room 4 <b>and</b> room 5',
      );
      expect(reply).toMatchObject({ kind: 'public_reply', author: 'Dr Asha Patel' });

      const before = await counts(t);
      const empty = await t
        .http()
        .post(`/report/status/${token}/comments`)
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrfOf(page.text), comment: '  ' })
        .expect(400);
      expect(empty.text).toContain('<a href="#comment">Enter your comment</a>');
      await t
        .http()
        .post(`/report/status/${token}/comments`)
        .set('Cookie', cookie)
        .type('form')
        .send({ comment: 'no token' })
        .expect(403);
      expect(await counts(t)).toEqual(before);
    });

    it('answers a tampered or expired link with a 404 page that says so', async () => {
      const w = await world();
      const { token } = await submitOk(fields(w));
      const [payload, signature] = token.split('.');
      const tampered = `${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
      const bad = await t.http().get(`/report/status/${tampered}`).expect(404);
      expect(bad.text).toContain('This link is invalid or has expired');
      await t.http().get('/report/status/not-a-token').expect(404);
      await t.http().get(`/report/thanks/${tampered}`).expect(404);

      const id = Buffer.from(payload, 'base64url').toString('utf8').split('.')[0];
      const expired = t.app.get(StatusLinkService).token(id, new Date(Date.now() - 400 * 86_400_000));
      const old = await t.http().get(`/report/status/${expired}`).expect(404);
      expect(old.text).toContain('This link is invalid or has expired');
      const session = await openForm();
      await t
        .http()
        .post(`/report/status/${expired}/comments`)
        .set('Cookie', session.cookie)
        .type('form')
        .send({ _csrf: session.csrf, comment: 'hello' })
        .expect(404);
    });
  });

  it('marks the CSRF cookie Secure when the desk is served over https', async () => {
    const https = await createTestApp({ env: { PUBLIC_BASE_URL: 'https://desk.example.test' } });
    try {
      const res = await https.http().get('/report').expect(200);
      const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
        c.startsWith('rosedesk_report_csrf='),
      );
      expect(cookie).toMatch(/; Secure/);
    } finally {
      await https.close();
    }
  });

  describe('rate limits', () => {
    it('refuses a third report from one email address within the hour (429) and saves nothing', async () => {
      const w = await world();
      const email = uniqueEmail('busy');
      await submitOk(fields(w, { email }));
      await submitOk(fields(w, { email: email.toUpperCase() }));
      const before = await counts(t);
      const session = await openForm();
      const res = await post(session, fields(w, { email })).expect(429);
      expect(res.text).toContain('Too many reports in a short time');
      expect(res.text).toContain('this email address');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(await counts(t)).toEqual(before);
    });

    it('counts name+tag@domain as name@domain for the per-email limit', async () => {
      const w = await world();
      const [local, domain] = uniqueEmail('tagged').split('@');
      await submitOk(fields(w, { email: `${local}+ward3@${domain}` }));
      await submitOk(fields(w, { email: `${local}+again@${domain}` }));
      const session = await openForm();
      const res = await post(session, fields(w, { email: `${local}@${domain}` })).expect(429);
      expect(res.text).toContain('this email address');
    });

    it('refuses a fourth report from one client address within the hour (429)', async () => {
      const w = await world();
      const ip = freshIp();
      for (let i = 0; i < 3; i++) await submitOk(fields(w), ip);
      const session = await openForm();
      const res = await post(session, fields(w), ip).expect(429);
      expect(res.text).toContain('your network address');
      await submitOk(fields(w));
    });
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
