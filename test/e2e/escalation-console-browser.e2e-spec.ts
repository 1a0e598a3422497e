import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import {
  escalationRow,
  escalationWorld,
  failedEscalation,
  setTargets,
} from '../factories/escalation.factory';
import { createIncident, incidentBody } from '../factories/incident.factory';
import { createUser, signedInUser, TEST_PASSWORD } from '../factories/user.factory';
import { launchChromium, screenshot, seriousA11yViolations } from '../helpers/browser';
import { fakeSupplier, type FakeSupplier } from '../helpers/fake-supplier';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** The escalations panel in a real browser: escalate with the form (htmx), see the result; axe; screenshots. */
describe('console in a browser: escalations panel', () => {
  let t: TestApp;
  let browser: Browser;
  let endpoint: FakeSupplier;

  beforeAll(async () => {
    browser = await launchChromium();
    t = await createTestApp({ listen: true });
    endpoint = await fakeSupplier({ kind: 'ok', reference: () => 'VMB-777' });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await endpoint?.close();
  });

  /** A new agent signed in to the console in a fresh browser context. */
  async function signedInAgent(): Promise<{ context: BrowserContext; page: Page }> {
    const base = t.baseUrl as string;
    const agent = await createUser(t.db, t.app.get(PasswordHasher), 'agent');
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
      timezoneId: 'Europe/London',
    });
    const page = await context.newPage();
    await page.goto(`${base}/console/login`);
    await page.fill('#email', agent.email);
    await page.fill('#password', TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${base}/console`), page.click('button:has-text("Sign in")')]);
    return { context, page };
  }

  it('escalates from the incident page and shows the supplier reference and clocks, with no serious axe findings', async () => {
    const base = t.baseUrl as string;
    const api = await signedInUser(t, 'agent');
    const world = await escalationWorld(t, { webhookUrl: endpoint.url, webhookSecret: endpoint.secret });
    await setTargets(t, world.supplier.id, 30, 240);
    const { reference } = await createIncident(t, api.auth, incidentBody(world.site, world.service));
    const { context, page } = await signedInAgent();

    await page.goto(`${base}/console/incidents/${reference}`);
    await page.locator('#escalations-title').scrollIntoViewIfNeeded();
    await screenshot(page, 'escalations-form');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The `e` shortcut takes the keyboard to the escalate form's supplier list.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('e');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('escalate-supplier');
    await page.selectOption('#escalate-supplier', world.supplier.code);
    await page.fill('#escalate-reason', 'WAN link down since 09:00; router checked');
    await page.click('button:has-text("Escalate")');
    await page.waitForSelector('text=Escalated to the supplier.');
    const [row] = await t.db.query('SELECT id FROM escalation WHERE supplier_id = $1', [world.supplier.id]);
    await waitFor(async () => (await escalationRow(t, row.id)).status === 'sent', 'the delivery');
    await page.goto(`${base}/console/incidents/${reference}`);
    await page.waitForSelector('text=their ref. VMB-777');
    await page.locator('#escalations-title').scrollIntoViewIfNeeded();
    await screenshot(page, 'escalations-panel');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The With suppliers queue lists it, and its clock holder names the supplier holding it.
    await page.goto(`${base}/console?queue=suppliers&q=${reference}`);
    const queueRow = page.locator('tr', { has: page.locator(`a:has-text("${reference}")`) });
    await expect(queueRow.locator('[data-holder]').textContent()).resolves.toBe(
      `Supplier: ${world.supplier.name}`,
    );
    await screenshot(page, 'queue-with-suppliers');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  it('retries a failed delivery with the panel button (htmx), with no serious axe findings', async () => {
    const base = t.baseUrl as string;
    const api = await signedInUser(t, 'agent');
    const world = await escalationWorld(t, { webhookUrl: endpoint.url, webhookSecret: endpoint.secret });
    const { reference } = await createIncident(t, api.auth, incidentBody(world.site, world.service));
    // The state after the last attempt failed.
    const id = await failedEscalation(t, reference, world.supplier.id);
    const { context, page } = await signedInAgent();

    await page.goto(`${base}/console/incidents/${reference}`);
    const retry = page.getByRole('button', { name: `Retry delivery to ${world.supplier.name}` });
    await retry.scrollIntoViewIfNeeded();
    await screenshot(page, 'escalations-retry');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await retry.click();
    await page.waitForSelector('text=Delivery to the supplier retried.');
    await waitFor(async () => (await escalationRow(t, id)).status === 'sent', 'the retried delivery');
    await page.goto(`${base}/console/incidents/${reference}`);
    await page.waitForSelector('text=their ref. VMB-777');
    expect(await page.getByRole('button', { name: /Retry delivery/ }).count()).toBe(0);
    await page.locator('#escalations-title').scrollIntoViewIfNeeded();
    await screenshot(page, 'escalations-retried');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });
});
