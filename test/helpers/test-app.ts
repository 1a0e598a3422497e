import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureHttp, createHttpAdapter } from '../../src/bootstrap/http';
import { createRootLogger, PinoNestLogger } from '../../src/common/logging/pino-nest-logger';
import { Clock } from '../../src/common/time/clock';
import { loadConfig, type AppConfig, type ProcessRole } from '../../src/config/app-config';
import { testDatabaseUrl, testRedisUrl } from '../setup/test-env';

export const TEST_ADMIN_PASSWORD = 'test-admin-password-1';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  db: DataSource;
  http: () => TestAgent;
  /** `http://127.0.0.1:{port}` when created with `listen: true` (browser tests), else null. */
  baseUrl: string | null;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra environment; `REDIS_URL: ''` runs the queues on BullMQ's PostgreSQL backend. */
  env?: Record<string, string>;
  role?: ProcessRole;
  clock?: Clock;
  /** Listen on a free loopback port, for a real browser (see baseUrl). */
  listen?: boolean;
  /** Logs the app as `npm start` does (pino JSON lines, level info) into this stream, for tests that read the log. */
  log?: DestinationStream;
}

/**
 * The real app against the test PostgreSQL and Redis, with the same HTTP pipeline as `npm start`. Each app gets
 * its own queue prefix so parallel files never share jobs.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    RUN_MIGRATIONS: 'false',
    // Sign-in failures are counted per client address in the shared database, and every test app calls from
    // loopback: tests about throttling set their own limit and client addresses (X-Forwarded-For).
    LOGIN_RATE_LIMIT: '1000',
    ADMIN_EMAIL: 'admin@rosedesk.test',
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    JWT_SECRET: 'test-only-signing-key-0123456789abcdef',
    OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'rosedesk-test-outbox-')),
    // Any free port for the SMTP intake listener, so several test apps (and a running desk) never clash.
    SMTP_INTAKE_PORT: '0',
    ...options.env,
  };
  const config = loadConfig(env, options.role ?? 'all');
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
  const moduleRef = await builder.compile();
  const logger = options.log
    ? createRootLogger({ level: 'info', role: options.role ?? 'all' }, options.log)
    : null;
  // TEST_LOG=1 shows the app's logs (errors with their ids) while debugging a test.
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(logger), {
    logger: process.env.TEST_LOG ? ['error', 'warn'] : false,
  });
  if (logger) app.useLogger(new PinoNestLogger(logger));
  await configureHttp(app, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  let baseUrl: string | null = null;
  if (options.listen) {
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  }
  const db = app.get(DataSource);
  return {
    app,
    config,
    db,
    http: () => request(app.getHttpServer()),
    baseUrl,
    close: () => app.close(),
  };
}
