import { User } from '../../src/modules/users/user.entity';
import { createSupplier, createTrust, uniqueEmail } from '../factories/directory.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('users API', () => {
  let t: TestApp;
  let admin: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signedInUser(t, 'admin');
  });
  afterAll(() => t.close());

  it('creates users of every role, binding trust managers to a trust and supplier users to a supplier', async () => {
    const trust = await createTrust(t.db);
    const supplier = await createSupplier(t.db);
    const cases = [
      { role: 'agent' },
      { role: 'desk_manager' },
      { role: 'admin' },
      { role: 'trust_manager', trustCode: trust.code },
      { role: 'supplier', supplierCode: supplier.code },
    ];
    for (const c of cases) {
      const email = uniqueEmail(c.role);
      const res = await t
        .http()
        .post('/api/users')
        .set(admin.auth)
        .send({ email, name: 'N', password: 'long-enough-pass', ...c })
        .expect(201);
      expect(res.body).toMatchObject({
        email,
        role: c.role,
        trustCode: c.trustCode ?? null,
        supplierCode: c.supplierCode ?? null,
      });
      expect(res.body.passwordHash).toBeUndefined();
      await t.http().post('/api/auth/login').send({ email, password: 'long-enough-pass' }).expect(200);
    }
  });

  it('stores the password as an argon2id hash, never in clear', async () => {
    const email = uniqueEmail('hash');
    await t
      .http()
      .post('/api/users')
      .set(admin.auth)
      .send({ email, name: 'N', password: 'long-enough-pass', role: 'agent' })
      .expect(201);
    const [row] = await t.db.query<{ password_hash: string }[]>(
      'SELECT password_hash FROM app_user WHERE email = $1',
      [email],
    );
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a trust manager without a trust, a bound agent, unknown codes and duplicate emails, saving nothing', async () => {
    const email = uniqueEmail('bad');
    const noTrust = await t
      .http()
      .post('/api/users')
      .set(admin.auth)
      .send({ email, name: 'N', password: 'long-enough-pass', role: 'trust_manager' })
      .expect(400);
    expect(noTrust.body.fields).toEqual([{ field: 'trustCode', reasons: ['required for a trust_manager'] }]);
    await t
      .http()
      .post('/api/users')
      .set(admin.auth)
      .send({ email, name: 'N', password: 'long-enough-pass', role: 'agent', trustCode: 'X' })
      .expect(400);
    const unknown = await t
      .http()
      .post('/api/users')
      .set(admin.auth)
      .send({ email, name: 'N', password: 'long-enough-pass', role: 'supplier', supplierCode: 'nosuch' })
      .expect(422);
    expect(unknown.body.field).toBe('supplierCode');
    expect(await t.db.getRepository(User).countBy({ email })).toBe(0);

    await t
      .http()
      .post('/api/users')
      .set(admin.auth)
      .send({ email, name: 'N', password: 'long-enough-pass', role: 'agent' })
      .expect(201);
    const dup = await t
      .http()
      .post('/api/users')
      .set(admin.auth)
      .send({ email: email.toUpperCase(), name: 'N', password: 'long-enough-pass', role: 'agent' })
      .expect(409);
    expect(dup.body.error).toBe('USER.EMAIL_TAKEN');
  });

  it('lets only admins create users', async () => {
    const manager = await signedInUser(t, 'desk_manager');
    await t
      .http()
      .post('/api/users')
      .set(manager.auth)
      .send({ email: uniqueEmail(), name: 'N', password: 'long-enough-pass', role: 'admin' })
      .expect(403);
  });

  it.each([
    ['a common password', 'password1234'],
    ['a common password with capitals and a symbol', 'Password1234!'],
    ['a keyboard walk', 'qwertyuiop12'],
    ['one repeated character', 'aaaaaaaaaaaa'],
    ['a repeated pattern', 'abcabcabcabc'],
    ['a run of digits', '123456789012'],
    ['the account name itself', 'jobloggs.example'],
  ])('refuses %s as a password (NIST 800-63B blocklist), saving nothing', async (_what, password) => {
    const email = uniqueEmail('weak');
    const res = await t
      .http()
      .post('/api/users')
      .set(admin.auth)
      .send({ email: email.replace(/^[^.]+/, 'jobloggs'), name: 'Jo Bloggs', password, role: 'agent' })
      .expect(400);
    expect(res.body.fields).toEqual([
      { field: 'password', reasons: [expect.stringMatching(/guess|common|repeat|sequence|name/i)] },
    ]);
    expect(
      await t.db
        .getRepository(User)
        .countBy({ name: 'Jo Bloggs', role: 'agent', email: email.replace(/^[^.]+/, 'jobloggs') }),
    ).toBe(0);
  });

  it('keeps the 12-character minimum and takes a long passphrase', async () => {
    const short = await t
      .http()
      .post('/api/users')
      .set(admin.auth)
      .send({ email: uniqueEmail(), name: 'N', password: 'Tr0ub4dor&3', role: 'agent' })
      .expect(400);
    expect(short.body.fields.map((f: { field: string }) => f.field)).toEqual(['password']);
    await t
      .http()
      .post('/api/users')
      .set(admin.auth)
      .send({ email: uniqueEmail(), name: 'N', password: 'correct horse battery staple', role: 'agent' })
      .expect(201);
  });

  it('refuses a name of only whitespace, and keeps a name on one line', async () => {
    const blank = await t
      .http()
      .post('/api/users')
      .set(admin.auth)
      .send({ email: uniqueEmail(), name: ' \t \u00a0 ', password: 'long-enough-pass', role: 'agent' })
      .expect(400);
    expect(blank.body.fields.map((f: { field: string }) => f.field)).toEqual(['name']);
    const email = uniqueEmail('crlf');
    const res = await t
      .http()
      .post('/api/users')
      .set(admin.auth)
      .send({ email, name: ' Jo\r\nBloggs\r\n', password: 'long-enough-pass', role: 'agent' })
      .expect(201);
    expect(res.body.name).toBe('Jo Bloggs');
  });
});
