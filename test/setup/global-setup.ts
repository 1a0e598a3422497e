import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { adminDatabaseUrl, assertTestDatabaseName, TEST_DB_NAME, testDatabaseUrl } from './test-env';

/** Creates a fresh test database and applies the compiled migrations to it (run `npm run build` first). */
export default async function globalSetup(): Promise<void> {
  assertTestDatabaseName(TEST_DB_NAME);
  const admin = new Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${TEST_DB_NAME}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEST_DB_NAME}"`);
  } finally {
    await admin.end();
  }
  execFileSync(process.execPath, ['dist/src/cli/migrate.js'], {
    env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
    stdio: 'pipe',
  });
}
