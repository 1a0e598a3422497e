import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import type { Role, User } from '../../src/modules/users/user.entity';
import { createService, createSite, createSupplier, createTrust } from '../factories/directory.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { incidentIdOf, parkClocks } from '../factories/sla.factory';
import { createUser, signedInUser, TEST_PASSWORD } from '../factories/user.factory';
import { launchChromium, screenshot, seriousA11yViolations } from '../helpers/browser';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The console's reports page in Debian's Chromium: the charts are SVG drawn on the server, every chart has its figures as a table, the print layout hides the navigation, axe finds
 * nothing serious, and the page keeps to the API's trust rule. Screenshots land in test/artifacts/.
 */
describe('console reports page in a browser', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const ids: string[] = [];
  let mine: { id: string; code: string };
  let theirs: { id: string; code: string };

  beforeAll(async () => {
    browser = await launchChromium();
    t = await createTestApp({ listen: true });
    const a = await createTrust(t.db);
    const b = await createTrust(t.db);
    mine = { id: a.id, code: a.code };
    theirs = { id: b.id, code: b.code };
    const service = await createService(t.db, await createSupplier(t.db));
    const agent = await signedInUser(t, 'agent');
    for (const [trust, classCode] of [
      [a, 'community_health'],
      [a, 'hospital'],
      [a, 'hospital'],
      [b, 'prison'],
    ] as const) {
      const site = await createSite(t.db, trust, { classCode });
      const { reference } = await createIncident(t, agent.auth, incidentBody(site, service));
      ids.push(await incidentIdOf(t.db, reference));
    }
  }, 60_000);
  afterAll(async () => {
    await parkClocks(t.db, ids);
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  const base = (): string => t.baseUrl as string;
  const user = (role: Role, binding: { trustId?: string } = {}): Promise<User> =>
    createUser(t.db, t.app.get(PasswordHasher), role, binding);

  async function signedInPage(who: User): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
      timezoneId: 'Europe/London',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${base()}/console/login`);
    await page.fill('#email', who.email);
    await page.fill('#password', TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base()}/console`), page.click('button:has-text("Sign in")')]);
    return page;
  }

  it('a desk manager sees a trust’s charts and figures, and a print layout', async () => {
    const page = await signedInPage(await user('desk_manager'));
    await page.click('nav.topnav >> text=Reports');
    await page.waitForURL(/\/console\/reports$/);
    await page.goto(`${base()}/console/reports?trust=${mine.code}`);
    await expect(page.locator('h1').textContent()).resolves.toContain(mine.code);
    const headline = page.locator('.headline li').first();
    await expect(headline.textContent()).resolves.toMatch(/^3\s*Incidents reported/);
    // Four server-drawn charts, each with its figures as a table.
    await expect(page.locator('figure.chart svg').count()).resolves.toBe(4);
    await expect(page.locator('figure.chart table').count()).resolves.toBe(4);
    await expect(page.locator('figure.chart').nth(1).locator('svg rect.bar').count()).resolves.toBe(1);
    const siteClasses = await page
      .locator('section[aria-labelledby="class-title"] tbody th')
      .allTextContents();
    expect(siteClasses.sort()).toEqual(['community_health', 'hospital']);
    await screenshot(page, 'reports-desk-manager');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('header.topbar').isVisible()).resolves.toBe(false);
    await expect(page.locator('form.report-form').isVisible()).resolves.toBe(false);
    await expect(page.locator('figure.chart svg').first().isVisible()).resolves.toBe(true);
    await screenshot(page, 'reports-print');
  });

  it('a trust manager sees only their own trust; another trust is the console’s 404', async () => {
    const page = await signedInPage(await user('trust_manager', { trustId: mine.id }));
    await page.goto(`${base()}/console/reports`);
    await expect(page.locator('h1').textContent()).resolves.toContain(mine.code);
    await expect(page.locator('select[name="trust"]').count()).resolves.toBe(0);
    await screenshot(page, 'reports-trust-manager');
    expect(await seriousA11yViolations(page)).toEqual([]);
    const other = await page.goto(`${base()}/console/reports?trust=${theirs.code}`);
    expect(other?.status()).toBe(404);
  });

  it('an agent is refused, and a bad date is the console’s 400 naming it', async () => {
    const agentPage = await signedInPage(await user('agent'));
    await expect(agentPage.locator('nav.topnav >> text=Reports').count()).resolves.toBe(0);
    expect((await agentPage.goto(`${base()}/console/reports`))?.status()).toBe(403);
    const page = await signedInPage(await user('admin'));
    const bad = await page.goto(`${base()}/console/reports?from=2026-02-30`);
    expect(bad?.status()).toBe(400);
    await expect(page.locator('main').textContent()).resolves.toContain('from');
  });
});
