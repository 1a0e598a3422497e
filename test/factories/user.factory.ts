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

/** Creates a user of any role (bound to a trust or supplier where the role needs one) and signs them in. */
export async function signedInUser(
  t: TestApp,
  role: Role,
  binding: { trustId?: string; supplierId?: string } = {},
): Promise<SignedInUser> {
  const user = await createUser(t.db, t.app.get(PasswordHasher), role, binding);
  const res = await t
    .http()
    .post('/api/auth/login')
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
