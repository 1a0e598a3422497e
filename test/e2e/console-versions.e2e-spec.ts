import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { hiddenField, openIncidentPage, publicReplies } from '../helpers/incident-page';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** Version checks on the incident page's forms: someone else's change keeps the draft and shows what changed. */
describe('console version checks', () => {
  let t: TestApp;
  let other: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    other = await signedInUser(t, 'agent');
  });
  afterAll(() => t.close());

  it('carries the version and the newest entry in every form of the page', async () => {
    const { page } = await openIncidentPage(t, other);
    const forms = page.match(/<form method="post" action="\/console\/incidents\//g) ?? [];
    expect(forms.length).toBeGreaterThan(3);
    expect(page.match(/name="version" value="\d+"/g)).toHaveLength(forms.length);
    expect(page.match(/name="seen" value="\d+"/g)).toHaveLength(forms.length);
  });

  it("refuses a reply written before someone else's change: 409, the text kept, the change shown", async () => {
    const { c, reference, page } = await openIncidentPage(t, other);
    const version = hiddenField(page, 'version');
    const seen = hiddenField(page, 'seen');
    await t
      .http()
      .post(`/api/incidents/${reference}/transitions`)
      .set(other.auth)
      .send({ to: 'awaiting_caller', comment: 'Asked for the room' })
      .expect(200);
    const draft = 'We have reset the access point in room 4.';
    const refused = await c.post(`/console/incidents/${reference}/reply`, {
      _csrf: c.csrf,
      body: draft,
      version,
      seen,
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Someone else changed this incident while you were writing');
    expect(refused.text).toContain(`${other.user.name}: Status New → On hold: caller`);
    expect(refused.text).toMatch(/class="entry entry-system entry-new"/);
    expect(refused.text).toContain(`>${draft}</textarea>`);
    expect(await publicReplies(t, reference)).toEqual([]);
    // Sent again from the page that showed the change, it goes through.
    const sent = await c.post(`/console/incidents/${reference}/reply`, {
      _csrf: c.csrf,
      body: draft,
      version: hiddenField(refused.text, 'version'),
      seen: hiddenField(refused.text, 'seen'),
    });
    expect(sent.status).toBe(303);
    expect(await publicReplies(t, reference)).toEqual([draft]);
  });

  it("counts another agent's internal note as a change for the desk", async () => {
    const { c, reference, page } = await openIncidentPage(t, other);
    await t
      .http()
      .post(`/api/incidents/${reference}/notes`)
      .set(other.auth)
      .send({ body: 'Supplier is on site' })
      .expect(201);
    const refused = await c.post(`/console/incidents/${reference}/assign`, {
      _csrf: c.csrf,
      assignee: 'me',
      version: hiddenField(page, 'version'),
      seen: hiddenField(page, 'seen'),
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(`${other.user.name}: added an internal note`);
  });

  it('refuses a malformed version with 400 and changes nothing', async () => {
    const { c, reference } = await openIncidentPage(t, other);
    const res = await c.post(`/console/incidents/${reference}/reply`, {
      _csrf: c.csrf,
      body: 'Hello',
      version: 'abc',
      seen: '1',
    });
    expect(res.status).toBe(400);
    expect(await publicReplies(t, reference)).toEqual([]);
  });
});
