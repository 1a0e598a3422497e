import { Client } from 'pg';
import { adminDatabaseUrl, assertTestDatabaseName, TEST_DB_NAME } from './test-env';

/** Drops the test database (KEEP_TEST_DB=1 keeps it for a look afterwards). */
export default async function globalTeardown(): Promise<void> {
  if (process.env.KEEP_TEST_DB === '1') return;
  assertTestDatabaseName(TEST_DB_NAME);
  const admin = new Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${TEST_DB_NAME}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
