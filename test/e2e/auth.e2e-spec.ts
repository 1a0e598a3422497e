import { createTestApp, type TestApp } from '../helpers/test-app';
import { createUser, signedInUser, TEST_PASSWORD } from '../factories/user.factory';
import { JwtService } from '@nestjs/jwt';
import { PasswordHasher } from '../../src/modules/auth/password-hasher';

describe('auth', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_RATE_LIMIT: '5' } });
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

  it('throttles repeated attempts for one account from one address (429), other accounts unaffected', async () => {
    const user = await createUser(t.db, t.app.get(PasswordHasher), 'agent');
    for (let i = 0; i < 5; i++) {
      await t
        .http()
        .post('/api/auth/login')
        .send({ email: user.email, password: `wrong-${i}` })
        .expect(401);
    }
    const blocked = await t
      .http()
      .post('/api/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(429);
    expect(blocked.body.error).toBe('REQUEST.RATE_LIMITED');
    await signedInUser(t, 'agent');
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
