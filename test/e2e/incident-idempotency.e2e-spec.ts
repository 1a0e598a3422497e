import { incidentBody, incidentWorld } from '../factories/incident.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** POST /api/incidents with an Idempotency-Key: a retried request creates nothing more. */
describe('Idempotency-Key on POST /api/incidents', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let other: SignedInUser;
  let world: Awaited<ReturnType<typeof incidentWorld>>;

  beforeAll(async () => {
    t = await createTestApp();
    agent = await signedInUser(t, 'agent');
    other = await signedInUser(t, 'agent');
    world = await incidentWorld(t);
  });
  afterAll(() => t.close());

  const key = (): string => `retry-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const create = (who: SignedInUser, k: string, body: object) =>
    t.http().post('/api/incidents').set(who.auth).set('Idempotency-Key', k).send(body);
  const countBySummary = async (summary: string): Promise<number> =>
    Number(
      (
        await t.db.query<{ n: string }[]>('SELECT count(*) AS n FROM incident WHERE summary = $1', [summary])
      )[0].n,
    );

  it('answers the same key and body with the first 201 and creates nothing more, even when sent at once', async () => {
    const k = key();
    const body = incidentBody(world.site, world.service, { summary: `Idempotent ${k}` });
    const [first, second] = await Promise.all([create(agent, k, body), create(agent, k, body)]);
    const third = await create(agent, k, { ...body, reporter: { ...body.reporter } });
    for (const res of [first, second, third]) expect(res.status).toBe(201);
    expect(second.body.reference).toBe(first.body.reference);
    // The answer kept is the one the winning request gave (the other, racing it, may have been presented afresh).
    expect([first.body, second.body]).toContainEqual(third.body);
    expect(await countBySummary(body.summary)).toBe(1);
  });

  it('refuses the same key with another body (409) and creates nothing', async () => {
    const k = key();
    const body = incidentBody(world.site, world.service, { summary: `First ${k}` });
    await create(agent, k, body).expect(201);
    const changed = { ...body, summary: `Second ${k}` };
    const res = await create(agent, k, changed).expect(409);
    expect(res.body.error).toBe('INCIDENT.IDEMPOTENCY_KEY_REUSED');
    expect(await countBySummary(changed.summary)).toBe(0);
  });

  it('keeps each user their own keys', async () => {
    const k = key();
    const body = incidentBody(world.site, world.service, { summary: `Two users ${k}` });
    const mine = await create(agent, k, body).expect(201);
    const theirs = await create(other, k, body).expect(201);
    expect(theirs.body.reference).not.toBe(mine.body.reference);
    expect(await countBySummary(body.summary)).toBe(2);
  });

  it('refuses a key that is not 1 to 255 visible ASCII characters with 400', async () => {
    const body = incidentBody(world.site, world.service);
    const res = await create(agent, 'x'.repeat(256), body).expect(400);
    expect(res.body.error).toBe('REQUEST.VALIDATION_FAILED');
  });

  it('creates a fresh incident without a key, as before', async () => {
    const body = incidentBody(world.site, world.service, { summary: `No key ${key()}` });
    await t.http().post('/api/incidents').set(agent.auth).send(body).expect(201);
    await t.http().post('/api/incidents').set(agent.auth).send(body).expect(201);
    expect(await countBySummary(body.summary)).toBe(2);
  });
});
