import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import type { Role } from '../../src/modules/users/user.entity';
import type { User } from '../../src/modules/users/user.entity';
import {
  createContact,
  createService,
  createSite,
  createSupplier,
  createTrust,
  uniqueCode,
  uniqueDigits,
} from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { createUser, signedInUser, TEST_PASSWORD } from '../factories/user.factory';
import { launchChromium, screenshot, seriousA11yViolations } from '../helpers/browser';
import { buildMail, processed, send, smtpPort } from '../helpers/email-intake';
import { ShiftedClock } from '../helpers/shifted-clock';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The console in a real browser (Debian's Chromium through playwright-core) against the real app listening on
 * a loopback port: sign-in, the main flow on an incident that arrived by email, scope, CSRF, the idle timeout,
 * the keyboard, and axe on every page. Screenshots land in test/artifacts/.
 */
describe('console in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  const clock = new ShiftedClock();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    t = await createTestApp({ clock, listen: true, env: { SMTP_URL: '' } });
    await t.db.query(
      "INSERT INTO service (code, name, description) VALUES ('lan', 'LAN', '') ON CONFLICT (code) DO NOTHING",
    );
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  const base = (): string => t.baseUrl as string;
  const user = (role: Role, binding: { trustId?: string } = {}): Promise<User> =>
    createUser(t.db, t.app.get(PasswordHasher), role, binding);

  async function newPage(
    options: { javaScriptEnabled?: boolean; width?: number; height?: number } = {},
  ): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
      javaScriptEnabled: options.javaScriptEnabled ?? true,
      locale: 'en-GB',
      timezoneId: 'Europe/London',
    });
    contexts.push(context);
    return context.newPage();
  }

  async function signIn(page: Page, who: User): Promise<void> {
    await page.goto(`${base()}/console/login`);
    await page.fill('#email', who.email);
    await page.fill('#password', TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base()}/console`), page.click('button:has-text("Sign in")')]);
  }

  async function expectAccessible(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  /** A trust and a site with a contact whose mail places incidents there. */
  async function world() {
    const trust = await createTrust(t.db);
    const site = await createSite(t.db, trust, {
      code: uniqueDigits(5),
      name: `Fulwood Health Centre ${uniqueCode('')}`,
      accessNotes: 'Key from reception; parking behind the building.',
    });
    const contact = await createContact(t.db, site, { name: 'Dr Asha Patel' });
    const service = await createService(t.db, await createSupplier(t.db));
    return { trust, site, contact, service };
  }

  /** An incident that arrives the real way: an email over SMTP to the intake listener. */
  async function incidentByEmail(from: string, subject: string): Promise<string> {
    const { raw, messageId } = buildMail({
      from,
      fromName: 'Dr Asha Patel',
      subject,
      body: 'Hello,\n\nNo PC in the treatment rooms can reach the clinical system since 09:10.\n\nAsha',
    });
    await send(smtpPort(t), raw);
    const [row] = await processed(t.db, messageId as string);
    expect(row.decision).toBe('created');
    return row.reference as string;
  }

  it('sends a visitor to sign in, refuses a wrong password, and signs in to the queues', async () => {
    const agent = await user('agent');
    const page = await newPage();
    const res = await page.goto(`${base()}/console/incidents/INC-000001`);
    expect(page.url()).toBe(`${base()}/console/login`);
    expect(res?.status()).toBe(200);
    await expectAccessible(page, 'login');

    await page.fill('#email', agent.email);
    await page.fill('#password', 'not-the-password');
    await page.click('button:has-text("Sign in")');
    await expect(page.locator('.error-summary').textContent()).resolves.toContain(
      'Email or password is wrong',
    );
    await expect(page.evaluate(() => document.activeElement?.className)).resolves.toContain('error-summary');
    await expectAccessible(page, 'login-wrong-password');

    await signIn(page, agent);
    await expect(page.locator('h1').textContent()).resolves.toBe('All open');
    await expect(page.locator('.account-name').textContent()).resolves.toBe(agent.name);
  });

  it('works an emailed incident: reply, note, assign, hold (clocks paused), resolve', async () => {
    const w = await world();
    const subject = `Clinical system unreachable ${uniqueCode('')}`;
    const reference = await incidentByEmail(w.contact.email as string, subject);
    const agent = await user('agent');
    const page = await newPage();
    await signIn(page, agent);
    await expectAccessible(page, 'queue');

    // Find it by its reference from the search box; the reference opens the incident page.
    await page.fill('#search-q', reference);
    await Promise.all([
      page.waitForURL(`${base()}/console/incidents/${reference}`),
      page.press('#search-q', 'Enter'),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toContain(subject);
    await expect(page.locator('.facts').textContent()).resolves.toContain('Email');
    await expect(page.locator('.access-notes').textContent()).resolves.toContain('Key from reception');

    // Email incidents are P4 (a day to respond); a P1's 15 minutes show the seconds ticking.
    await page.click('summary:has-text("Change priority")');
    await page.selectOption('#priority-priority', 'P1');
    await page.fill('#priority-reason', 'Whole surgery cannot reach the clinical system');
    await page.click('form[action$="/priority"] button[type="submit"]');
    await page.locator('.notice', { hasText: 'Priority changed' }).waitFor();
    await expect(page.locator('.badges .prio').textContent()).resolves.toBe('P1');

    // The SLA countdown ticks in the browser.
    const response = page.locator('.clock').first().locator('[data-countdown-text]');
    const before = await response.textContent();
    await page.waitForTimeout(2500);
    expect(await response.textContent()).not.toBe(before);
    await expectAccessible(page, 'incident');

    await page.fill('#reply-body', 'An engineer will call you within the hour.');
    await page.click('button:has-text("Send reply")');
    await page.locator('.notice', { hasText: 'Reply sent' }).waitFor();
    await expect(page.locator('.entry-public_reply').last().textContent()).resolves.toContain(
      'within the hour',
    );

    await page.fill('#note-body', 'Checked the switch in the comms room: port 12 down.');
    await page.click('button:has-text("Add note")');
    await page.locator('.notice', { hasText: 'Internal note added' }).waitFor();
    await expect(page.locator('.entry-internal_note').last().textContent()).resolves.toContain(
      'port 12 down',
    );

    await page.click('button:has-text("Assign to me")');
    await page.locator('.notice', { hasText: 'Assignment saved' }).waitFor();
    await expect(page.locator('.badges').textContent()).resolves.toContain(agent.name);

    await page.click('summary:has-text("Put on hold")');
    await page.check('#hold-on');
    await page.fill('#hold-reason', 'Asked which room has the fault');
    await page.click('button:has-text("Put on hold")');
    await page.locator('.notice', { hasText: 'put on hold' }).waitFor();
    await expect(page.locator('.badges .status').textContent()).resolves.toBe('On hold: caller');
    const states = await page
      .locator('.clock [data-countdown]')
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-state'), e.querySelector('[data-countdown-text]')?.textContent]),
      );
    expect(states).toEqual([
      ['met', 'met'],
      ['paused', 'paused'],
    ]);
    await expectAccessible(page, 'incident-on-hold');

    // Resolving with notes missing is refused, naming the field, and keeps the chosen code.
    await page.click('summary:has-text("Resolve")');
    await page.selectOption('#resolve-code', 'fixed');
    await page.click('#resolve-notes ~ button, form[action$="/resolve"] button[type="submit"]');
    await expect(page.locator('.error-summary').textContent()).resolves.toContain(
      'Enter the resolution notes',
    );
    await expect(page.locator('#resolve-code').inputValue()).resolves.toBe('fixed');
    await page.fill('#resolve-notes', 'Replaced the patch lead on port 12; the rooms reconnect.');
    await page.click('form[action$="/resolve"] button[type="submit"]');
    await page.locator('.notice', { hasText: 'Incident resolved' }).waitFor();
    await expect(page.locator('.badges .status').textContent()).resolves.toBe('Resolved');
    await screenshot(page, 'incident-resolved');

    const [row] = await t.db.query<{ status: string; resolution_code: string; assignee: string }[]>(
      'SELECT status, resolution_code, assignee_id AS assignee FROM incident WHERE number = $1',
      [Number(reference.slice(4))],
    );
    expect(row).toEqual({ status: 'resolved', resolution_code: 'fixed', assignee: agent.id });
    const mail = await t.db.query<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM outbound_message m JOIN incident i ON i.id = m.incident_id WHERE i.number = $1 AND m.template = 'incident-reply'",
      [Number(reference.slice(4))],
    );
    expect(mail[0].n).toBe(1);
  }, 60_000);

  it('lays out the queue and an incident at tablet width', async () => {
    const w = await world();
    const api = await signedInUser(t, 'agent');
    const inc = await createIncident(
      t,
      api.auth,
      incidentBody(w.site, w.service, { summary: 'Tablet layout check' }),
    );
    const page = await newPage({ width: 820, height: 1180 });
    await signIn(page, await user('agent'));
    await expectAccessible(page, 'queue-tablet');
    await page.goto(`${base()}/console/incidents/${inc.reference}`);
    await expectAccessible(page, 'incident-tablet');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('refuses a form posted without its token (403) and changes nothing', async () => {
    const w = await world();
    const api = await signedInUser(t, 'agent');
    const inc = await createIncident(t, api.auth, incidentBody(w.site, w.service));
    const page = await newPage();
    await signIn(page, await user('agent'));
    await page.goto(`${base()}/console/incidents/${inc.reference}`);
    const events = async (): Promise<number> =>
      (
        await t.db.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM incident_event e JOIN incident i ON i.id = e.incident_id WHERE i.number = $1',
          [Number(inc.reference.slice(4))],
        )
      )[0].n;
    const before = await events();
    // A plain form post (no htmx, so no header either) with the hidden field taken out.
    await page.evaluate(() => {
      const form = document.querySelector('form[action$="/reply"]') as HTMLFormElement;
      const plain = form.cloneNode(true) as HTMLFormElement;
      plain.removeAttribute('hx-post');
      plain.querySelector('input[name="_csrf"]')?.remove();
      form.replaceWith(plain);
    });
    await page.fill('#reply-body', 'This must not be saved');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/reply')),
      page.click('button:has-text("Send reply")'),
    ]);
    expect(response.status()).toBe(403);
    await expect(page.locator('h1').textContent()).resolves.toBe('This form has expired');
    await expectAccessible(page, 'error-csrf');
    expect(await events()).toBe(before);
  });

  it('reads and replies without JavaScript', async () => {
    const w = await world();
    const api = await signedInUser(t, 'agent');
    const inc = await createIncident(
      t,
      api.auth,
      incidentBody(w.site, w.service, { summary: 'No script check' }),
    );
    const page = await newPage({ javaScriptEnabled: false });
    await signIn(page, await user('agent'));
    await page.goto(`${base()}/console/incidents/${inc.reference}`);
    await page.fill('#reply-body', 'Sent from a browser without scripts.');
    await Promise.all([page.waitForURL(/done=reply/), page.click('button:has-text("Send reply")')]);
    await page.locator('.notice', { hasText: 'Reply sent' }).waitFor();
    await page.goto(`${base()}/console?queue=open&priority=P2`);
    await expect(page.locator('#f-priority').inputValue()).resolves.toBe('P2');
  });

  it('sends a session past its idle timeout to sign in', async () => {
    const page = await newPage();
    await signIn(page, await user('agent'));
    clock.advance(31 * 60_000);
    await page.goto(`${base()}/console`);
    expect(page.url()).toBe(`${base()}/console/login`);
  });

  it("answers 404 to a trust manager opening another trust's incident, and shows their own without notes", async () => {
    const mine = await world();
    const other = await world();
    const api = await signedInUser(t, 'agent');
    const own = await createIncident(
      t,
      api.auth,
      incidentBody(mine.site, mine.service, { summary: 'Own trust fault' }),
    );
    const foreign = await createIncident(t, api.auth, incidentBody(other.site, other.service));
    await t
      .http()
      .post(`/api/incidents/${own.reference}/notes`)
      .set(api.auth)
      .send({ body: 'Desk only: awaiting VMB contract decision' })
      .expect(201);
    const page = await newPage();
    await signIn(page, await user('trust_manager', { trustId: mine.trust.id }));
    const res = await page.goto(`${base()}/console/incidents/${foreign.reference}`);
    expect(res?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('Page not found');
    await expectAccessible(page, 'error-404');
    await page.goto(`${base()}/console/incidents/${own.reference}`);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Own trust fault');
    expect(text).not.toContain('awaiting VMB contract decision');
    await expect(page.locator('#note-body').count()).resolves.toBe(0);
    await expect(page.locator('button:has-text("Add comment")').count()).resolves.toBe(1);
    await expectAccessible(page, 'incident-trust-manager');
  });

  it('walks the main flow with the keyboard only', async () => {
    const w = await world();
    const word = `kbd${uniqueCode('').toLowerCase()}`;
    const api = await signedInUser(t, 'agent');
    const first = await createIncident(
      t,
      api.auth,
      incidentBody(w.site, w.service, { summary: `Keyboard ${word} one` }),
    );
    await createIncident(t, api.auth, incidentBody(w.site, w.service, { summary: `Keyboard ${word} two` }));
    const agent = await user('agent');
    const page = await newPage();
    await page.goto(`${base()}/console/login`);
    // The email field has focus on arrival (autofocus; waited for, as a loaded machine may apply it late).
    await page.waitForFunction(() => document.activeElement?.id === 'email');
    await page.keyboard.type(agent.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base()}/console`), page.keyboard.press('Enter')]);

    // `/` jumps to the search box.
    await page.keyboard.press('/');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('search-q');
    await page.keyboard.type(word);
    await Promise.all([page.waitForURL(/q=kbd/), page.keyboard.press('Enter')]);
    const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? '');

    // j / k move through the rows; Enter opens the focused one.
    await page.keyboard.press('j');
    const one = await focusedText();
    await page.keyboard.press('j');
    const two = await focusedText();
    expect(two).not.toBe(one);
    await page.keyboard.press('k');
    expect(await focusedText()).toBe(one);
    await screenshot(page, 'queue-keyboard-focus');
    await Promise.all([page.waitForURL(/\/console\/incidents\/INC-/), page.keyboard.press('Enter')]);

    // `a` assigns to me; `r` goes to the reply box; Tab reaches its button.
    await page.keyboard.press('a');
    await page.locator('.notice', { hasText: 'Assignment saved' }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.className)).resolves.toContain('notice');
    await page.keyboard.press('r');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('reply-body');
    await page.keyboard.type('Typed without a mouse.');
    await page.keyboard.press('Tab');
    await expect(focusedText()).resolves.toBe('Send reply');
    await page.keyboard.press('Enter');
    await page.locator('.notice', { hasText: 'Reply sent' }).waitFor();

    // `?` lists the shortcuts; Escape closes the list; `g q` goes back to the queues.
    await page.keyboard.press('?');
    await expect(page.locator('#shortcuts').isVisible()).resolves.toBe(true);
    await expectAccessible(page, 'shortcuts');
    await page.keyboard.press('Escape');
    await expect(page.locator('#shortcuts').isVisible()).resolves.toBe(false);
    await page.keyboard.press('g');
    await Promise.all([page.waitForURL(`${base()}/console`), page.keyboard.press('q')]);

    const replied = await t.db.query<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM incident_event e JOIN incident i ON i.id = e.incident_id WHERE e.kind = 'public_reply' AND e.body = 'Typed without a mouse.' AND i.assignee_id = $1",
      [agent.id],
    );
    expect(replied[0].n).toBe(1);
    void first;
  }, 90_000);
});
