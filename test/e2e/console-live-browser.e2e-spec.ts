import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import type { User } from '../../src/modules/users/user.entity';
import { createIncident, incidentBody, incidentWorld } from '../factories/incident.factory';
import { createUser, signedInUser, TEST_PASSWORD, type SignedInUser } from '../factories/user.factory';
import { launchChromium, screenshot, seriousA11yViolations } from '../helpers/browser';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The live console in real browsers (Debian's Chromium through playwright-core): two agents on one incident,
 * each through a different app process (A and B share only the database), a draft kept through another agent's
 * change, a bulk reply chosen with the keyboard, and axe on every page these change.
 */
describe('live console in a browser', () => {
  let a: TestApp;
  let b: TestApp;
  let api: SignedInUser;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    [a, b] = await Promise.all([createTestApp({ listen: true }), createTestApp({ listen: true })]);
    api = await signedInUser(a, 'agent');
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await Promise.all([a?.close(), b?.close()]);
  });

  const agent = (): Promise<User> => createUser(a.db, a.app.get(PasswordHasher), 'agent');
  async function signedInPage(app: TestApp, who: User): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'en-GB',
      timezoneId: 'Europe/London',
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/console/login`);
    await page.fill('#email', who.email);
    await page.fill('#password', TEST_PASSWORD);
    await Promise.all([page.waitForURL(`${app.baseUrl}/console`), page.click('button:has-text("Sign in")')]);
    return page;
  }
  async function expectAccessible(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
    expect(await seriousA11yViolations(page)).toEqual([]);
  }
  const live = (page: Page) => page.locator('body[data-live-state="open"]').waitFor();

  it('shows two agents on one incident each other, and one agent’s change in the other’s list and page', async () => {
    const world = await incidentWorld(a);
    const { reference } = await createIncident(a, api.auth, incidentBody(world.site, world.service));
    const ann = await agent();
    const bob = await agent();
    const annList = await signedInPage(a, ann);
    await annList.goto(`${a.baseUrl}/console?queue=open&trust=${world.trustCode}`);
    await live(annList);
    const annPage = await annList.context().newPage();
    await annPage.goto(`${a.baseUrl}/console/incidents/${reference}`);
    await live(annPage);
    const bobPage = await signedInPage(b, bob);
    await bobPage.goto(`${b.baseUrl}/console/incidents/${reference}`);
    await live(bobPage);

    await annPage.locator('[data-presence]', { hasText: `Also here: ${bob.name}.` }).waitFor();
    await bobPage.locator('[data-presence]', { hasText: `Also here: ${ann.name}.` }).waitFor();
    await bobPage.fill('#note-body', 'Looking at the switch now');
    await annPage
      .locator('[data-presence]', { hasText: `${bob.name} is typing an internal note.` })
      .waitFor();
    await expectAccessible(annPage, 'incident-presence');

    // Bob (on process B) takes the incident: Ann's page and list (on process A) show it without a reload.
    await bobPage.click('button:has-text("Assign to me")');
    await bobPage.locator('.notice', { hasText: 'Assignment saved' }).waitFor();
    await annPage.locator('.badges', { hasText: `Assigned to ${bob.name}` }).waitFor();
    await annList.locator(`tr:has(a:text("${reference}"))`, { hasText: bob.name }).waitFor();
    await expect(annPage.locator('#live-status').textContent()).resolves.toContain(`${reference} changed`);
    await expectAccessible(annList, 'queue-live-updated');
  }, 90_000);

  it("keeps a draft through another agent's change, shows what changed, and sends it once checked", async () => {
    const world = await incidentWorld(a);
    const { reference } = await createIncident(a, api.auth, incidentBody(world.site, world.service));
    const ann = await agent();
    const bob = await agent();
    const annPage = await signedInPage(a, ann);
    await annPage.goto(`${a.baseUrl}/console/incidents/${reference}`);
    await live(annPage);
    const draft = 'We will replace the access point this afternoon.';
    await annPage.fill('#reply-body', draft);

    // A reload keeps the draft (it is in this browser until sent).
    await annPage.reload();
    await expect(annPage.locator('#reply-body').inputValue()).resolves.toBe(draft);

    const bobPage = await signedInPage(b, bob);
    await bobPage.goto(`${b.baseUrl}/console/incidents/${reference}`);
    await bobPage.click('summary:has-text("Put on hold")');
    await bobPage.check('#hold-on');
    await bobPage.fill('#hold-reason', 'Asked the caller which room');
    await bobPage.click('button:has-text("Put on hold")');
    await bobPage.locator('.notice', { hasText: 'put on hold' }).waitFor();

    // Ann's page shows the change live; her draft is untouched.
    await annPage.locator('.badges .status', { hasText: 'On hold: caller' }).waitFor();
    await expect(annPage.locator('#reply-body').inputValue()).resolves.toBe(draft);

    // Sending it now is refused: nothing sent, the draft kept, the change named and marked.
    await annPage.click('button:has-text("Send reply")');
    await annPage.locator('[data-conflict]').waitFor();
    await expect(annPage.locator('[data-conflict]').textContent()).resolves.toContain(
      `${bob.name}: Status New → On hold: caller`,
    );
    await expect(annPage.locator('.entry-new').count()).resolves.toBeGreaterThan(0);
    await expect(annPage.locator('#reply-body').inputValue()).resolves.toBe(draft);
    await expectAccessible(annPage, 'incident-changed-meanwhile');

    await annPage.click('button:has-text("Send reply")');
    await annPage.locator('.notice', { hasText: 'Reply sent' }).waitFor();
    await annPage.reload();
    await expect(annPage.locator('#reply-body').inputValue()).resolves.toBe('');
    const sent = await a.db.query<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM incident_event e JOIN incident i ON i.id = e.incident_id WHERE i.number = $1 AND e.kind = 'public_reply' AND e.body = $2",
      [Number(reference.slice(4)), draft],
    );
    expect(sent[0].n).toBe(1);
  }, 90_000);

  it('replies to the reporters of the ticked rows with the keyboard only', async () => {
    const world = await incidentWorld(a);
    const refs: string[] = [];
    for (const name of ['dee', 'eve'])
      refs.push(
        (
          await createIncident(
            a,
            api.auth,
            incidentBody(world.site, world.service, {
              summary: `Bulk ${name}`,
              reporter: { name: `Reporter ${name}`, email: `${name}.${world.site.code}@example.test` },
            }),
          )
        ).reference,
      );
    const page = await signedInPage(a, await agent());
    await page.goto(`${a.baseUrl}/console?queue=open&trust=${world.trustCode}`);
    await live(page);
    await expectAccessible(page, 'queue-bulk');
    // j to a row, x ticks it; twice; b goes to the bulk form.
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await expect(page.locator('[data-bulk-pick]:checked').count()).resolves.toBe(2);
    await page.keyboard.press('b');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('bulk-action');
    await page.selectOption('#bulk-action', 'reply');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('bulk-text');
    await page.keyboard.type('The network is back: please try again.');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(`${a.baseUrl}/console/bulk`), page.keyboard.press('Enter')]);
    await expect(page.locator('[data-bulk-summary]').textContent()).resolves.toBe('2 of 2 incidents done.');
    await expectAccessible(page, 'bulk-result');
    const mail = await a.db.query<{ to: string }[]>(
      `SELECT m.to_address AS "to" FROM outbound_message m JOIN incident i ON i.id = m.incident_id
        WHERE i.number = ANY($1::bigint[]) AND m.template = 'incident-reply' ORDER BY i.number`,
      [refs.map((r) => Number(r.slice(4)))],
    );
    expect(mail.map((m) => m.to.split('.')[0])).toEqual(['dee', 'eve']);
  }, 90_000);
});
