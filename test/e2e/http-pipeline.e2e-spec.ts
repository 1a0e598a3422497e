import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createIncident, incidentBody, incidentWorld } from '../factories/incident.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { freePort, startDesk, waitForHealth, type DeskProcess } from '../helpers/desk-process';
import { rowCounts } from '../helpers/row-counts';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { testDatabaseUrl, testRedisUrl } from '../setup/test-env';

/** What every request meets before a controller: body parsing limits, security headers, request ids in the log. */
describe('HTTP pipeline', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    {
      what: 'a body that is not JSON',
      type: 'application/json',
      body: '{"email": "a@b.test",',
      status: 400,
      error: 'REQUEST.MALFORMED',
    },
    {
      what: 'a JSON body over 1 MiB',
      type: 'application/json',
      body: JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(1024 * 1024) }),
      status: 413,
      error: 'REQUEST.TOO_LARGE',
    },
    {
      what: 'a content type the route cannot read',
      type: 'application/xml',
      body: '<login/>',
      status: 415,
      error: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    },
  ])('answers $what with $status $error', async ({ type, body, status, error }) => {
    const res = await t.http().post('/api/auth/login').set('content-type', type).send(body).expect(status);
    expect(res.body).toMatchObject({ statusCode: status, error });
  });

  it('sends the security headers (helmet) with the content security policy on every page', async () => {
    const res = await t.http().get('/report').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

/**
 * Bodies and URLs that must not reach a controller, or must not choke the parser: each gets a 4xx in the
 * documented shape `{statusCode, error, message}`, never the URL echoed, and leaves nothing written.
 */
describe('HTTP pipeline against hostile requests', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let reference: string;

  const counts = () => rowCounts(t.db, ['contacts', 'attachments', 'audit']);
  const fieldsOf = (body: { fields?: { field: string }[] }) => body.fields ?? [];
  const send = (method: 'POST', path: string, user: SignedInUser) => t.http().post(path).set(user.auth);

  beforeAll(async () => {
    t = await createTestApp();
    agent = await signedInUser(t, 'agent');
    const { site, service } = await incidentWorld(t);
    reference = (await createIncident(t, agent.auth, incidentBody(site, service))).reference;
  });
  afterAll(() => t.close());

  describe('bodies the parser must not choke on', () => {
    it.each([
      { what: 'objects', body: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}` },
      { what: 'arrays', body: `{"name":${'['.repeat(5000)}${']'.repeat(5000)}}` },
    ])('answers JSON nested 5,000 levels deep ($what) with 400 REQUEST.MALFORMED', async ({ body }) => {
      const res = await send('POST', '/api/contacts', agent)
        .set('content-type', 'application/json')
        .send(body)
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'REQUEST.MALFORMED' });
      expect(res.body.message).toMatch(/nest/i);
    });

    it('keeps the answer to 50,000 unknown keys short: at most about 100 fields listed, and how many there were', async () => {
      const body: Record<string, unknown> = { name: 'Dr Many Keys' };
      for (let i = 0; i < 50_000; i++) body[`k${i}`] = 1;
      const before = await counts();
      const res = await send('POST', '/api/contacts', agent).send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'REQUEST.VALIDATION_FAILED' });
      expect(fieldsOf(res.body).length).toBeLessThanOrEqual(101);
      expect(res.body.message).toMatch(/50,001/);
      expect(JSON.stringify(res.body).length).toBeLessThan(20_000);
      expect(await counts()).toEqual(before);
    });

    it('lists at most 100 of 150 unknown keys, saying how many more there were', async () => {
      const body: Record<string, unknown> = { name: 'Dr Some Keys' };
      for (let i = 0; i < 150; i++) body[`k${i}`] = 1;
      const res = await send('POST', '/api/contacts', agent).send(body).expect(400);
      expect(fieldsOf(res.body)).toHaveLength(100);
      expect(res.body.message).toMatch(/150 fields are wrong; the first 100: .*, and 50 more$/);
    });

    it('answers a truncated multipart upload with 400 REQUEST.MALFORMED, storing nothing', async () => {
      const before = await counts();
      const res = await send('POST', `/api/incidents/${reference}/attachments`, agent)
        .set('content-type', 'multipart/form-data; boundary=XyZ')
        .send(
          Buffer.from(
            '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n' +
              'Content-Type: text/plain\r\n\r\nhello, this file never ends',
          ),
        )
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'REQUEST.MALFORMED' });
      expect(await counts()).toEqual(before);
    });
  });

  describe('a body without a valid token', () => {
    it.each([
      { what: 'malformed JSON', type: 'application/json', body: '{"summary": ' },
      {
        what: 'JSON over the size limit',
        type: 'application/json',
        body: `{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`,
      },
      { what: 'deep JSON', type: 'application/json', body: `${'['.repeat(5000)}${']'.repeat(5000)}` },
      {
        what: 'a truncated multipart body',
        type: 'multipart/form-data; boundary=XyZ',
        body: '--XyZ\r\nContent-Disposition: form-data; name="file"',
      },
    ])('is refused with 401 before it is parsed ($what)', async ({ type, body }) => {
      for (const auth of [{}, { Authorization: 'Bearer forged.token.here' }]) {
        const res = await t
          .http()
          .post(`/api/incidents/${reference}/attachments`)
          .set(auth)
          .set('content-type', type)
          .send(body)
          .expect(401);
        expect(res.body).toMatchObject({ statusCode: 401, error: 'AUTH.UNAUTHENTICATED' });
      }
    });

    it('still reads the body of the public sign-in route', async () => {
      const res = await t
        .http()
        .post('/api/auth/login')
        .set('content-type', 'application/json')
        .send('{"email": ')
        .expect(400);
      expect(res.body.error).toBe('REQUEST.MALFORMED');
    });
  });

  describe('framework errors', () => {
    it('answers a badly percent-encoded URL with 400 in the documented shape, not echoing the URL', async () => {
      const res = await t.http().get('/api/incidents/%E0%A4%A-secret-path').set(agent.auth).expect(400);
      expect(Object.keys(res.body).sort()).toEqual(['error', 'message', 'statusCode']);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'REQUEST.BAD_URL' });
      expect(res.text).not.toContain('secret-path');
    });

    it('answers an over-long path parameter with 414 in the documented shape, not echoing it', async () => {
      const long = 'z'.repeat(2000);
      const res = await t.http().get(`/api/incidents/${long}`).set(agent.auth).expect(414);
      expect(res.body).toMatchObject({ statusCode: 414, error: 'REQUEST.URL_TOO_LONG' });
      expect(res.text).not.toContain('zzzz');
    });

    it('answers a URL longer than the server reads with 414 in the documented shape', async () => {
      await t.app.listen(0, '127.0.0.1');
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, path: `/api/sites?q=${'q'.repeat(20_000)}`, headers: agent.auth },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(answer.status).toBe(414);
      expect(JSON.parse(answer.body)).toMatchObject({ statusCode: 414, error: 'REQUEST.URL_TOO_LONG' });
      expect(answer.body).not.toContain('qqqq');
    });

    it('answers an unknown route with 404 in the documented shape, not echoing the path', async () => {
      const res = await t.http().get('/api/no-such-route-secret').set(agent.auth).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'REQUEST.NOT_FOUND' });
      expect(res.text).not.toContain('secret');
    });
  });
});

describe('request log of a running desk', () => {
  jest.setTimeout(60_000);
  let desk: DeskProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    desk = startDesk(
      {
        DATABASE_URL: testDatabaseUrl(),
        REDIS_URL: testRedisUrl(),
        QUEUE_PREFIX: `log${randomBytes(3).toString('hex')}`,
        ADMIN_EMAIL: `admin.${randomBytes(3).toString('hex')}@rosedesk.test`,
        ADMIN_PASSWORD: 'request-log-password',
        SEED_DEMO: 'false',
        LOG_LEVEL: 'info',
        SMTP_INTAKE_PORT: '0',
        PORT: String(port),
      },
      ['--role=api'],
    );
    await waitForHealth(port, desk);
  });
  afterAll(async () => {
    if (desk.child.exitCode === null) desk.child.kill('SIGTERM');
    await desk.exited;
  });

  const requestLines = (): Array<Record<string, unknown>> =>
    desk
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'request completed' || entry.msg === 'request errored');

  it('writes one JSON line per request with the caller’s X-Request-Id, status and time, and no headers', async () => {
    const requestId = `trace-${randomBytes(4).toString('hex')}`;
    const res = await fetch(`http://127.0.0.1:${port}/api/incidents`, {
      headers: { 'x-request-id': requestId, authorization: 'Bearer not-a-token' },
    });
    expect(res.status).toBe(401);
    const line = await waitFor(
      () => Promise.resolve(requestLines().find((entry) => entry.reqId === requestId)),
      'the request log line',
    );
    expect(line).toMatchObject({
      req: { method: 'GET', url: '/api/incidents' },
      res: { statusCode: 401 },
      service: 'rosedesk',
    });
    expect(typeof line.responseTime).toBe('number');
    expect(desk.output()).not.toContain('not-a-token');
  });

  it('gives a request without a usable X-Request-Id a new UUID, and logs no line for /health', async () => {
    await fetch(`http://127.0.0.1:${port}/health`);
    const res = await fetch(`http://127.0.0.1:${port}/api/nothing-here`, {
      headers: { 'x-request-id': 'has spaces; and more' },
    });
    expect(res.status).toBe(404);
    const line = await waitFor(
      () =>
        Promise.resolve(
          requestLines().find((entry) => (entry.req as { url: string }).url === '/api/nothing-here'),
        ),
      'the 404 line',
    );
    expect(line.reqId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(requestLines().some((entry) => (entry.req as { url: string }).url === '/health')).toBe(false);
  });
});
