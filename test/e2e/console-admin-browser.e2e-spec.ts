import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
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
  uniqueEmail,
} from '../factories/directory.factory';
import { createUser, TEST_PASSWORD } from '../factories/user.factory';
import { launchChromium, screenshot, seriousA11yViolations } from '../helpers/browser';
import { buildMail, processed, send, smtpPort } from '../helpers/email-intake';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { QueueName } from '../../src/queue/queue-names';

/**
 * The console's new-incident form and its managers' and administrators' screens in a real browser (Debian's
 * Chromium through playwright-core) against the real app on a loopback port: logging a call with the live
 * priority, an administrator disabling a user who is then signed out, re-running a failed intake message,
 * retrying a failed queue job, and axe on every page. Screenshots land in test/artifacts/.
 */
describe('console admin and new incident in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Mail from known contacts fails until this service exists: the failed message a manager re-runs. */
  const missingService = `gone${uniqueDigits(6)}`;

  beforeAll(async () => {
    browser = await launchChromium();
    t = await createTestApp({ listen: true, env: { SMTP_URL: '', INTAKE_DEFAULT_SERVICE: missingService } });
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

  async function world() {
    const trust = await createTrust(t.db);
    const site = await createSite(t.db, trust, {
      code: uniqueDigits(6),
      name: `Ribbleton Medical Centre ${uniqueCode('')}`,
      accessNotes: 'Server cupboard behind reception; ask for the practice manager.',
    });
    const surname = `Okafor${uniqueCode('').toLowerCase()}`;
    const contact = await createContact(t.db, site, {
      name: `Nurse Grace ${surname}`,
      email: uniqueEmail('grace'),
      phone: `+44177${uniqueDigits(7)}`,
    });
    const service = await createService(t.db, await createSupplier(t.db), {
      name: `Telephony ${uniqueCode('')}`,
    });
    return { trust, site, contact, surname, service };
  }

  it('logs a call: finds the caller, shows the priority live from the matrix, overrides it with a reason', async () => {
    const w = await world();
    const agent = await user('agent');
    const page = await newPage();
    await signIn(page, agent);
    await Promise.all([
      page.waitForURL(`${base()}/console/incidents/new`),
      page.click('.topnav a:has-text("New incident")'),
    ]);
    await expectAccessible(page, 'new-incident');

    // The search answers as the agent types (htmx), without leaving the page.
    await page.fill('#caller-q', w.surname);
    await page.locator('#caller-results .caller', { hasText: w.contact.name }).waitFor();
    expect(page.url()).toBe(`${base()}/console/incidents/new`);
    await expectAccessible(page, 'new-incident-caller-found');
    await page.click(`#caller-results a:has-text("Use")`);
    await expect(page.inputValue('#caller-name')).resolves.toBe(w.contact.name);
    await expect(page.inputValue('#caller-email')).resolves.toBe(w.contact.email);
    await expect(page.inputValue('#site')).resolves.toBe(`${w.site.code} — ${w.site.name}`);

    // The priority follows impact and urgency at once, from the matrix on the page (the default one here).
    const shown = page.locator('#priority-calculated');
    await expect(shown.textContent()).resolves.toBe('choose both');
    await page.check('#impact-several_users');
    await page.check('#urgency-high');
    await expect(shown.textContent()).resolves.toBe('P2');
    await page.check('#urgency-low');
    await expect(shown.textContent()).resolves.toBe('P3');
    await expect(page.locator('#priority option').first().textContent()).resolves.toBe('As calculated (P3)');

    await page.selectOption('#service', w.service.code);
    await page.fill('#summary', 'All phones dead at reception');
    await page.fill('#description', 'No dial tone on any desk phone since 08:00; mobiles work.');
    await page.selectOption('#priority', 'P1');
    await page.fill('#priority-reason', 'The surgery cannot take calls from patients');
    await expectAccessible(page, 'new-incident-filled');
    await Promise.all([
      page.waitForURL(/\/console\/incidents\/INC-\d+\?done=created$/),
      page.click('button:has-text("Log incident")'),
    ]);
    await page.locator('.notice', { hasText: 'Incident logged' }).waitFor();
    await expect(page.locator('.badges .prio').textContent()).resolves.toBe('P1');
    await expect(page.locator('.facts').textContent()).resolves.toContain('Phone');
    await expect(page.locator('.access-notes').textContent()).resolves.toContain('Server cupboard');
    await screenshot(page, 'new-incident-created');
  });

  it('logs a call without JavaScript: search, pick, a refused form keeps what was typed, then create', async () => {
    const w = await world();
    const page = await newPage({ javaScriptEnabled: false });
    await signIn(page, await user('agent'));
    await page.goto(`${base()}/console/incidents/new`);
    await page.fill('#caller-q', w.contact.email as string);
    await Promise.all([page.waitForURL(/caller=/), page.click('button:has-text("Find caller")')]);
    await Promise.all([page.waitForURL(/contact=/), page.click('#caller-results a:has-text("Use")')]);
    await expect(page.inputValue('#caller-name')).resolves.toBe(w.contact.name);
    await page.fill('#summary', 'Printer offline');
    await page.click('button:has-text("Log incident")');
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('Choose the service');
    await expect(page.inputValue('#summary')).resolves.toBe('Printer offline');
    await expect(page.inputValue('#caller-name')).resolves.toBe(w.contact.name);
    await screenshot(page, 'new-incident-refused');
    await page.selectOption('#service', w.service.code);
    await page.check('#impact-one_user');
    await page.check('#urgency-medium');
    await page.fill('#description', 'Nothing prints from the treatment room PC.');
    await Promise.all([page.waitForURL(/done=created/), page.click('button:has-text("Log incident")')]);
    await expect(page.locator('.badges .prio').textContent()).resolves.toBe('P4');
  });

  it('lays out the new-incident form at tablet width', async () => {
    const page = await newPage({ width: 820, height: 1180 });
    await signIn(page, await user('agent'));
    const res = await page.goto(`${base()}/console/incidents/new`);
    expect(res?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('New incident');
    await expectAccessible(page, 'new-incident-tablet');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('an administrator disables a user, who is signed out at once and cannot sign in again', async () => {
    const admin = await user('admin');
    const agent = await user('agent');
    const agentPage = await newPage();
    await signIn(agentPage, agent);
    const page = await newPage();
    await signIn(page, admin);
    await Promise.all([
      page.waitForURL(`${base()}/console/admin`),
      page.click('.topnav a:has-text("Admin")'),
    ]);
    await expectAccessible(page, 'admin-home');
    await Promise.all([
      page.waitForURL(/\/console\/admin\/users$/),
      page.click('.subnav a:has-text("Users")'),
    ]);
    await expectAccessible(page, 'admin-users');
    await page.goto(`${base()}/console/admin/users/${agent.id}`);
    await expect(page.locator('h1').textContent()).resolves.toBe(agent.name);
    // The header still names who is signed in, not the user on the page.
    await expect(page.locator('.account-name').textContent()).resolves.toBe(admin.name);
    await expectAccessible(page, 'admin-user');
    await Promise.all([page.waitForURL(/done=disabled/), page.click('button:has-text("Disable user")')]);
    await page.locator('.notice', { hasText: 'User disabled' }).waitFor();
    await expect(page.locator('.page-head').textContent()).resolves.toContain('Disabled');
    await screenshot(page, 'admin-user-disabled');

    await agentPage.reload();
    expect(agentPage.url()).toBe(`${base()}/console/login`);
    await agentPage.fill('#email', agent.email);
    await agentPage.fill('#password', TEST_PASSWORD);
    await agentPage.click('button:has-text("Sign in")');
    await expect(agentPage.locator('.error-summary').textContent()).resolves.toContain(
      'Email or password is wrong',
    );

    await page.goto(`${base()}/console/admin/users/new`);
    await page.click('button:has-text("Create user")');
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('Enter the name');
    await expectAccessible(page, 'admin-user-new-refused');
  }, 60_000);

  it('a desk manager re-runs a failed intake message once its cause is fixed', async () => {
    const w = await world();
    const subject = `Scanner offline ${uniqueCode('')}`;
    const mail = buildMail({
      from: w.contact.email as string,
      subject,
      body: 'The scanner in room 3 is offline.',
    });
    await send(smtpPort(t), mail.raw);
    const [failed] = await processed(t.db, mail.messageId as string, 1, 40_000);
    expect(failed.status).toBe('failed');

    const page = await newPage();
    await signIn(page, await user('desk_manager'));
    await page.goto(`${base()}/console/admin/intake`);
    await expectAccessible(page, 'admin-intake');
    await Promise.all([
      page.waitForURL(/\/console\/admin\/intake\/[0-9a-f-]{36}$/),
      page.click(`a:has-text("${subject}")`),
    ]);
    await expect(page.locator('.error-text').textContent()).resolves.toContain(missingService);
    await expectAccessible(page, 'admin-intake-message');

    await createService(t.db, await createSupplier(t.db), { code: missingService });
    await Promise.all([page.waitForURL(/done=retried/), page.click('button:has-text("Run again")')]);
    await page.locator('.notice', { hasText: 'queued to run' }).waitFor();
    const [done] = await processed(t.db, mail.messageId as string, 1, 30_000);
    expect(done).toMatchObject({ status: 'processed', decision: 'created' });
    await page.reload();
    await expect(page.locator('.page-head').textContent()).resolves.toContain('Processed');
    await expect(page.locator('.page-head a').textContent()).resolves.toMatch(/^INC-\d+$/);
    await screenshot(page, 'admin-intake-message-rerun');
  }, 90_000);

  it('an administrator retries a failed job from the queue health page', async () => {
    const queue = t.app.get<Queue>(getQueueToken(QueueName.Mail), { strict: false });
    const job = await queue.add(`retired-job-${uniqueDigits(5)}`, {});
    const jobId = job.id as string;
    await waitFor(async () => (await queue.getJobState(jobId)) === 'failed', 'the job to fail', 20_000);
    const page = await newPage();
    await signIn(page, await user('admin'));
    await page.goto(`${base()}/console/admin/queues`);
    await expectAccessible(page, 'admin-queues');
    // By the job's unique name: its id (a small number) can also appear in the queues' counts.
    const row = page.locator('tr', { hasText: job.name });
    await expect(row.textContent()).resolves.toContain('Unknown mail job');
    await Promise.all([page.waitForURL(/done=retried/), row.locator('button:has-text("Retry")').click()]);
    await page.locator('.notice', { hasText: 'will run again' }).waitFor();
    await waitFor(
      async () => (await queue.getJob(jobId))?.attemptsMade === 2,
      'the job to run again',
      20_000,
    );
  });

  it('shows the directory and SLA screens accessibly, at 1280×800 and on a tablet', async () => {
    const w = await world();
    const page = await newPage();
    await signIn(page, await user('admin'));
    const pages: [string, string][] = [
      ['/console/admin/sites', 'admin-sites'],
      ['/console/admin/sites/new', 'admin-site-new'],
      [`/console/admin/sites/${w.site.code}`, 'admin-site'],
      ['/console/admin/contacts', 'admin-contacts'],
      ['/console/admin/contacts/new', 'admin-contact-new'],
      [`/console/admin/contacts/${w.contact.id}`, 'admin-contact'],
      ['/console/admin/sla', 'admin-sla-policies'],
      ['/console/admin/sla/calendars', 'admin-sla-calendars'],
      ['/console/admin/sla/calendars/gp_core', 'admin-sla-calendar'],
      ['/console/admin/sla/calendars/new', 'admin-sla-calendar-new'],
      ['/console/admin/sla/holidays?year=2026', 'admin-sla-holidays'],
    ];
    for (const [path, name] of pages) {
      const res = await page.goto(`${base()}${path}`);
      expect(res?.status()).toBe(200);
      await expectAccessible(page, name);
    }
    // A refused site form names its problems and keeps what was typed.
    await page.goto(`${base()}/console/admin/sites/new`);
    await page.fill('#site-code', '12');
    await page.fill('#site-access', 'Ring the bell twice');
    await page.click('button:has-text("Add site")');
    await expect(page.locator('.error-summary').textContent()).resolves.toContain(
      'Site code must be 3-6 digits',
    );
    await expect(page.inputValue('#site-access')).resolves.toBe('Ring the bell twice');
    await expectAccessible(page, 'admin-site-refused');

    const tablet = await newPage({ width: 820, height: 1180 });
    await signIn(tablet, await user('admin'));
    for (const [path, name] of [
      ['/console/admin/sla', 'admin-sla-policies-tablet'],
      ['/console/admin/queues', 'admin-queues-tablet'],
      [`/console/admin/sites/${w.site.code}`, 'admin-site-tablet'],
    ]) {
      await tablet.goto(`${base()}${path}`);
      await expectAccessible(tablet, name);
      const overflow = await tablet.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }
  }, 120_000);

  it('reads the admin screens and changes a site without JavaScript', async () => {
    const w = await world();
    const page = await newPage({ javaScriptEnabled: false });
    await signIn(page, await user('admin'));
    await page.goto(`${base()}/console/admin/sites/${w.site.code}`);
    await page.fill('#site-access', 'Keys at the pharmacy next door.');
    await Promise.all([page.waitForURL(/done=saved/), page.click('button:has-text("Save changes")')]);
    await expect(page.inputValue('#site-access')).resolves.toBe('Keys at the pharmacy next door.');
    await page.goto(`${base()}/console/admin/contacts?q=${encodeURIComponent(w.contact.name)}`);
    await expect(page.locator('table.data').textContent()).resolves.toContain(w.contact.name);
  });
});
