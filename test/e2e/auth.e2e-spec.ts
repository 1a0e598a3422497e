import { createTestApp, type TestApp } from '../helpers/test-app';
import { createUser, signedInUser, TEST_PASSWORD } from '../factories/user.factory';
import { uniqueEmail } from '../factories/directory.factory';
import { FixedClock } from '../../src/common/time/clock';
import { JwtService } from '@nestjs/jwt';
import { PasswordHasher } from '../../src/modules/auth/password-hasher';

describe('auth', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('signs in with email and password and returns a bearer token with its expiry', async () => {
    const user = await createUser(t.db, t.app.get(PasswordHasher), 'agent');
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ email: user.email.toUpperCase(), password: TEST_PASSWORD })
      .expect(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await t
      .http()
      .get('/api/users/me')
      .set('Authorization', `Bearer ${res.body.accessToken}`)
      .expect(200);
    expect(me.body).toMatchObject({ email: user.email, role: 'agent' });
  });

  it('answers a wrong password and an unknown account with the same 401', async () => {
    const user = await createUser(t.db, t.app.get(PasswordHasher), 'agent');
    const wrong = await t
      .http()
      .post('/api/auth/login')
      .send({ email: user.email, password: 'not-the-password' })
      .expect(401);
    const unknown = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'nobody@example.test', password: 'whatever-it-is' })
      .expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({
      statusCode: 401,
      error: 'AUTH.INVALID_CREDENTIALS',
      message: 'Email or password is wrong.',
    });
  });

  it('refuses a disabled account with the same answer', async () => {
    const user = await createUser(t.db, t.app.get(PasswordHasher), 'agent');
    await t.db.query('UPDATE app_user SET active = false WHERE id = $1', [user.id]);
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(401);
    expect(res.body.error).toBe('AUTH.INVALID_CREDENTIALS');
  });

  describe('login throttling (LOGIN_RATE_LIMIT failed attempts a minute)', () => {
    // An app of its own with a low limit; the other tests' failures from loopback never reach it.
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { LOGIN_RATE_LIMIT: '5' } });
    });
    afterAll(() => t.close());

    /** A client address of its own (X-Forwarded-For is believed from loopback), so tests never share one. */
    let nextAddress = 1;
    const freshAddress = (): string =>
      `203.0.${113 + Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;
    const login = (app: TestApp, email: string, password: string, address: string) =>
      app.http().post('/api/auth/login').set('X-Forwarded-For', address).send({ email, password });

    it('counts one account across client addresses: the next attempt, even with the right password, is 429 with Retry-After', async () => {
      const user = await createUser(t.db, t.app.get(PasswordHasher), 'agent');
      for (let i = 0; i < 5; i++) await login(t, user.email, `wrong-${i}`, freshAddress()).expect(401);
      const blocked = await login(t, user.email.toUpperCase(), TEST_PASSWORD, freshAddress()).expect(429);
      expect(blocked.body.error).toBe('REQUEST.RATE_LIMITED');
      const retryAfter = blocked.headers['retry-after'];
      expect(retryAfter).toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    });

    it('counts one client address across accounts (known and unknown): spraying is 429, other addresses unaffected', async () => {
      const address = freshAddress();
      for (let i = 0; i < 5; i++) {
        const target = i % 2 ? await createUser(t.db, t.app.get(PasswordHasher), 'agent') : null;
        await login(t, target?.email ?? uniqueEmail('nobody'), 'a-guessed-password', address).expect(401);
      }
      const user = await createUser(t.db, t.app.get(PasswordHasher), 'agent');
      const blocked = await login(t, user.email, TEST_PASSWORD, address).expect(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      await login(t, user.email, TEST_PASSWORD, freshAddress()).expect(200);
    });

    it('does not count successful sign-ins', async () => {
      const user = await createUser(t.db, t.app.get(PasswordHasher), 'agent');
      const address = freshAddress();
      for (let i = 0; i < 8; i++) await login(t, user.email, TEST_PASSWORD, address).expect(200);
    });

    it('lets the account and the address in again once the minute is over', async () => {
      const clock = new FixedClock(new Date());
      const timed = await createTestApp({ env: { LOGIN_RATE_LIMIT: '2' }, clock });
      try {
        const user = await createUser(timed.db, timed.app.get(PasswordHasher), 'agent');
        const address = freshAddress();
        for (let i = 0; i < 2; i++) await login(timed, user.email, 'wrong-password', address).expect(401);
        const blocked = await login(timed, user.email, TEST_PASSWORD, address).expect(429);
        clock.advance(Number(blocked.headers['retry-after']) * 1000 - 1000);
        await login(timed, user.email, TEST_PASSWORD, address).expect(429);
        clock.advance(1000);
        await login(timed, user.email, TEST_PASSWORD, address).expect(200);
      } finally {
        await timed.close();
      }
    });

    it('holds across API processes: attempts made at one count at another', async () => {
      const other = await createTestApp({ env: { LOGIN_RATE_LIMIT: '5' } });
      try {
        const user = await createUser(t.db, t.app.get(PasswordHasher), 'agent');
        for (let i = 0; i < 3; i++) await login(t, user.email, `wrong-${i}`, freshAddress()).expect(401);
        for (let i = 0; i < 2; i++) await login(other, user.email, `wrong-${i}`, freshAddress()).expect(401);
        await login(t, user.email, TEST_PASSWORD, freshAddress()).expect(429);
        await login(other, user.email, TEST_PASSWORD, freshAddress()).expect(429);
      } finally {
        await other.close();
      }
    });
  });

  it('lists every bad field of a malformed login', async () => {
    const res = await t.http().post('/api/auth/login').send({ email: 'not-an-email', extra: 1 }).expect(400);
    const fields = (res.body.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['email', 'extra', 'password']);
  });

  it('needs a bearer token on /api and refuses a bad one', async () => {
    await t.http().get('/api/trusts').expect(401);
    const res = await t.http().get('/api/trusts').set('Authorization', 'Bearer not.a.token').expect(401);
    expect(res.body.error).toBe('AUTH.UNAUTHENTICATED');
  });

  it('stops taking a token once it expires, though it was taken before (verified tokens are kept only until their exp)', async () => {
    const user = await createUser(t.db, t.app.get(PasswordHasher), 'agent');
    // `expiresIn: 1` can leave a token a millisecond of life (exp is whole seconds): exp 2-3 s ahead.
    const exp = Math.floor(Date.now() / 1000) + 3;
    const token = await t.app
      .get(JwtService)
      .signAsync({ sub: user.id, email: user.email, role: 'agent', trust: null, supplier: null, exp });
    await t.http().get('/api/users/me').set('Authorization', `Bearer ${token}`).expect(200);
    // A changed signature is a different token: checked afresh, refused.
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    await t.http().get('/api/users/me').set('Authorization', `Bearer ${tampered}`).expect(401);
    await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 50));
    const res = await t.http().get('/api/users/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect(res.body.error).toBe('AUTH.UNAUTHENTICATED');
  });

  it('refuses an admin-only route to other roles with 403', async () => {
    const agent = await signedInUser(t, 'agent');
    const res = await t
      .http()
      .post('/api/trusts')
      .set(agent.auth)
      .send({ code: 'NOPE', name: 'Nope', kind: 'pct' })
      .expect(403);
    expect(res.body.error).toBe('AUTH.FORBIDDEN');
  });
});
