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
import { createTestApp, type TestApp } from '../helpers/test-app';

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

  beforeAll(async () => {
    browser = await launchChromium();
    t = await createTestApp({ listen: true, env: { SMTP_URL: '' } });
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
    await page.goto(`${base()}/console/incidents/new`);
    await expectAccessible(page, 'new-incident-tablet');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
