import { randomBytes } from 'node:crypto';
import { freePort, startDesk, waitForHealth, type DeskProcess } from '../helpers/desk-process';
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
