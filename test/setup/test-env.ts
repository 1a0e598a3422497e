/**
 * Where the tests' PostgreSQL and Redis are. `.ci/run` exports TEST_DATABASE_URL / TEST_REDIS_URL; the defaults
 * are the machine's own services. Tests use their own database (created and dropped by the global setup),
 * whose name must contain "test".
 */
export const TEST_DB_NAME = process.env.TEST_DB_NAME ?? 'rosedesk_test';

export function adminDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function testDatabaseUrl(name = TEST_DB_NAME): string {
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** Refuses to touch a database whose name does not say it is for tests. */
export function assertTestDatabaseName(name: string): void {
  if (!/test/i.test(name))
    throw new Error(`Refusing to use database "${name}": a test database name must contain "test"`);
}
