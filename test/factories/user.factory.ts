import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PasswordHasher } from '../../src/modules/auth/password-hasher';
import { User, type Role } from '../../src/modules/users/user.entity';
import type { TestApp } from '../helpers/test-app';
import { uniqueEmail } from './directory.factory';

export const TEST_PASSWORD = 'a-test-password-123';

export interface SignedInUser {
  user: User;
  token: string;
  auth: { Authorization: string };
}

/**
 * Creates a user of any role (bound to a trust or supplier where the role needs one) and signs them in, from a
 * client address of its own (X-Forwarded-For is believed from loopback). Sign-in counts are kept per address in
 * the shared database, and a test app on a clock years ahead (sla-admin's) leaves loopback's count window open
 * for the rest of the run: a helper's sign-in must never spend a budget another test relies on.
 */
export async function signedInUser(
  t: TestApp,
  role: Role,
  binding: { trustId?: string; supplierId?: string } = {},
): Promise<SignedInUser> {
  const user = await createUser(t.db, t.app.get(PasswordHasher), role, binding);
  const res = await t
    .http()
    .post('/api/auth/login')
    .set('X-Forwarded-For', `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`)
    .send({ email: user.email, password: TEST_PASSWORD })
    .expect(200);
  const token = (res.body as { accessToken: string }).accessToken;
  return { user, token, auth: { Authorization: `Bearer ${token}` } };
}

export async function createUser(
  db: DataSource,
  hasher: PasswordHasher,
  role: Role,
  binding: { trustId?: string; supplierId?: string } = {},
): Promise<User> {
  return db.getRepository(User).save({
    email: uniqueEmail(role),
    name: `Test ${role}`,
    role,
    passwordHash: await hasher.hash(TEST_PASSWORD),
    trustId: binding.trustId ?? null,
    supplierId: binding.supplierId ?? null,
  });
}
