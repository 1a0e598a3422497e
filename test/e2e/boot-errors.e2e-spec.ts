import { freePort, startDesk } from '../helpers/desk-process';

/** Wrong configuration fails at boot with one clear message naming each variable, non-zero, no stack trace. */
describe('boot with bad configuration', () => {
  it('names every bad variable at once', async () => {
    const desk = startDesk({ PORT: 'abc', DATABASE_URL: 'mysql://nope', LOG_LEVEL: 'loud' });
    expect(await desk.exited).toBe(1);
    const out = desk.output();
    expect(out).toContain('RoseDesk cannot start. Invalid configuration:');
    expect(out).toMatch(/PORT: must be a whole number between 1 and 65535 \(got "abc"\)/);
    expect(out).toMatch(/DATABASE_URL: must be a postgres:\/\/ connection URL/);
    expect(out).toMatch(/LOG_LEVEL: /);
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('names DATABASE_URL when the server does not answer', async () => {
    const port = await freePort();
    const desk = startDesk({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/rosedesk` });
    expect(await desk.exited).toBe(1);
    expect(desk.output()).toMatch(
      new RegExp(
        `DATABASE_URL: cannot connect to postgres://postgres@127.0.0.1:${port}/rosedesk \\(ECONNREFUSED\\)`,
      ),
    );
    expect(desk.output()).not.toMatch(/\n\s+at /);
  });

  it('names REDIS_URL when Redis does not answer', async () => {
    const port = await freePort();
    const desk = startDesk({
      DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      REDIS_URL: `redis://127.0.0.1:${port}`,
      RUN_MIGRATIONS: 'false',
    });
    expect(await desk.exited).toBe(1);
    expect(desk.output()).toMatch(/REDIS_URL: cannot connect to redis:\/\/127.0.0.1:\d+ \(ECONNREFUSED\)/);
  });
});
