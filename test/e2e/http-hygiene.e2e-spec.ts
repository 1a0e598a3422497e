import { QueueName } from '../../src/queue/queue-names';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** Caching, transport-security headers and what /health tells whom (issue 16, item 10). */
describe('HTTP hygiene', () => {
  let t: TestApp;
  let agent: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_BASE_URL: 'http://desk.example.test' } });
    agent = await signedInUser(t, 'agent');
  });
  afterAll(() => t.close());

  describe('Cache-Control: no-store on every API answer', () => {
    it('on the login answer that carries the token', async () => {
      const res = await t
        .http()
        .post('/api/auth/login')
        .send({ email: agent.user.email, password: 'a-test-password-123' })
        .expect(200);
      expect(res.body.accessToken).toEqual(expect.any(String));
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it.each([
      ['a signed-in read', '/api/trusts', true, 200],
      ['a 401', '/api/trusts', false, 401],
      ['an unknown API path (404)', '/api/no-such-thing', true, 404],
      ['the health check', '/health', false, 200],
    ])('on %s', async (_what, path, signedIn, status) => {
      const req = t.http().get(path);
      if (signedIn) req.set(agent.auth);
      const res = await req.expect(status);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('leaves the public form’s static assets cacheable as they say', async () => {
      const res = await t.http().get('/report/static/report.css').expect(200);
      expect(res.headers['cache-control']).toBe('public, max-age=3600');
    });
  });

  describe('transport security follows PUBLIC_BASE_URL', () => {
    it('over plain http: no HSTS and no upgrade-insecure-requests (they break /report’s assets)', async () => {
      const res = await t.http().get('/report').expect(200);
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    });

    it('over https: HSTS and upgrade-insecure-requests', async () => {
      const https = await createTestApp({ env: { PUBLIC_BASE_URL: 'https://desk.example.test' } });
      try {
        const res = await https.http().get('/report').expect(200);
        expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
        expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
        expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      } finally {
        await https.close();
      }
    });
  });

  describe('/health', () => {
    it('tells the public up or down only', async () => {
      const res = await t.http().get('/health').expect(200);
      expect(res.body).toEqual({ status: 'up' });
    });

    it('gives the checks, the mode and the queue counts at /health/details to desk managers and admins only', async () => {
      await t.http().get('/health/details').expect(401);
      await t.http().get('/health/details').set(agent.auth).expect(403);
      for (const role of ['desk_manager', 'admin'] as const) {
        const user = await signedInUser(t, role);
        const res = await t.http().get('/health/details').set(user.auth).expect(200);
        expect(res.body).toMatchObject({
          status: 'ok',
          mode: 'scaled',
          info: { database: { status: 'up' }, queue: { status: 'up' } },
        });
        expect(Object.keys(res.body.info.queue.queues).sort()).toEqual(Object.values(QueueName).sort());
        expect(res.headers['cache-control']).toBe('no-store');
      }
    });
  });
});
