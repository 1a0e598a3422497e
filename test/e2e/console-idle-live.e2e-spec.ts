import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import { createUser, TEST_PASSWORD } from '../factories/user.factory';
import { ConsoleClient, cookieHeader } from '../helpers/console-client';
import { ShiftedClock } from '../helpers/shifted-clock';
import { SseReader } from '../helpers/sse-reader';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The idle timeout counts the user's requests only: what an open page does by itself (its live stream, reopened
 * every few minutes, and its re-read after a live event) does not keep the session alive.
 */
describe('console idle timeout with a live page open', () => {
  let t: TestApp;
  const clock = new ShiftedClock();
  const readers: SseReader[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      listen: true,
      env: { CONSOLE_IDLE_TIMEOUT_MINUTES: '30', CONSOLE_ABSOLUTE_TIMEOUT_MINUTES: '720' },
    });
  });
  afterAll(async () => {
    for (const r of readers) r.close();
    await t.close();
  });

  const signedIn = async (): Promise<{ c: ConsoleClient; userId: string }> => {
    const u = await createUser(t.db, t.app.get(PasswordHasher), 'agent');
    const c = new ConsoleClient(t);
    expect((await c.signIn(u.email, TEST_PASSWORD)).status).toBe(303);
    expect((await c.get('/console')).status).toBe(200);
    return { c, userId: u.id };
  };
  const openStream = async (c: ConsoleClient): Promise<number> => {
    const r = new SseReader();
    readers.push(r);
    await r.open(`${t.baseUrl}/console/live`, { Cookie: cookieHeader(c.jar), 'X-Forwarded-For': c.address });
    r.close();
    return r.status;
  };
  const liveRefresh = async (c: ConsoleClient): Promise<number> =>
    (
      await t
        .http()
        .get('/console')
        .set('Cookie', cookieHeader(c.jar))
        .set('X-Forwarded-For', c.address)
        .set('X-Live-Refresh', 'true')
    ).status;
  const sessions = async (userId: string): Promise<number> =>
    (await t.db.query<unknown[]>('SELECT 1 FROM console_session WHERE user_id = $1', [userId])).length;

  it('signs out an open tab whose only requests were its live stream and live refreshes, 30 idle minutes on', async () => {
    const { c, userId } = await signedIn();
    // The page reopens its stream every five minutes and re-reads itself on live events, for 29 minutes.
    for (let k = 0; k < 5; k++) {
      clock.advance(5 * 60_000);
      expect(await openStream(c)).toBe(200);
      expect(await liveRefresh(c)).toBe(200);
    }
    clock.advance(4 * 60_000);
    expect(await openStream(c)).toBe(200);
    clock.advance(2 * 60_000);
    // Thirty-one minutes after the user's last request: the stream's reconnect finds the session over.
    expect(await openStream(c)).toBe(303);
    expect(await sessions(userId)).toBe(0);
    const page = await c.get('/console');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/console/login');
  });

  it('keeps a session the user goes on using, with the same live traffic beside it', async () => {
    const { c, userId } = await signedIn();
    for (let k = 0; k < 6; k++) {
      clock.advance(5 * 60_000);
      expect(await openStream(c)).toBe(200);
      // The user's own page loads, every ten minutes.
      if (k % 2 === 1) expect((await c.get('/console')).status).toBe(200);
    }
    clock.advance(20 * 60_000);
    expect((await c.get('/console')).status).toBe(200);
    expect(await sessions(userId)).toBe(1);
  });
});
