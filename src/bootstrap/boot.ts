import { Logger as NestLogger, type INestApplication, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { AppModule } from '../app.module';
import { DomainErrorFilter } from '../common/errors/domain-error.filter';
import { createValidationPipe } from '../common/http/validation';
import { ConfigError, loadConfig, type AppConfig, type ProcessRole } from '../config/app-config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../database/embedded-postgres';
import { checkConnections } from './check-connections';
import { runMigrations } from './migrate';
import { StartupService } from './startup.service';

export interface RunningDesk {
  config: AppConfig;
  app: INestApplicationContext;
  stop(): Promise<void>;
}

/** Everything a process does before it serves: config, embedded database, connection checks, migrations. */
export async function prepare(role: ProcessRole, env: NodeJS.ProcessEnv = process.env): Promise<{ config: AppConfig; embedded: EmbeddedPostgres | null }> {
  const config = loadConfig(env, role);
  let embedded: EmbeddedPostgres | null = null;
  if (config.mode === 'embedded') {
    embedded = await startEmbeddedPostgres(config.dataDir);
    config.databaseUrl = embedded.url;
  }
  try {
    await checkConnections(config);
    if (config.env.RUN_MIGRATIONS) await runMigrations(config.databaseUrl as string);
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  return { config, embedded };
}

/** Applies the HTTP pipeline shared by the real server and the tests. */
export function configureHttp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.set('trust proxy', 'loopback');
  express.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
      },
    }),
  );
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new DomainErrorFilter());
  const openApi = new DocumentBuilder()
    .setTitle('RoseDesk API')
    .setDescription('The service desk of the Lancashire health-service network. Sign in with POST /api/auth/login.')
    .setVersion('1')
    .addBearerAuth()
    .addServer(config.env.PUBLIC_BASE_URL)
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'api/docs/openapi.json' });
}

/** Starts a desk process. `all` and `api` serve HTTP; `worker` only runs queue workers. */
export async function boot(role: ProcessRole): Promise<RunningDesk> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { config, embedded } = await prepare(role);
  let app: INestApplicationContext;
  try {
    if (config.runsHttp) {
      const http = await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true });
      http.useLogger(http.get(Logger));
      configureHttp(http, config);
      await http.get(StartupService).prepare();
      await http.listen(config.env.PORT, config.env.HOST);
      app = http;
    } else {
      app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true });
      app.useLogger(app.get(Logger));
    }
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  const where = config.mode === 'embedded' ? `embedded PostgreSQL in ${embedded?.dataDir}` : 'PostgreSQL at DATABASE_URL';
  const queues = config.mode === 'scaled' ? 'BullMQ on Redis (REDIS_URL)' : 'BullMQ on PostgreSQL';
  new NestLogger('Boot').log(
    { mode: config.mode, role, dataDir: embedded?.dataDir, port: config.runsHttp ? config.env.PORT : undefined },
    `RoseDesk started: mode ${config.mode}, role ${role}; data in ${where}; queues ${queues}` +
      (config.runsHttp ? `; http://localhost:${config.env.PORT}` : ''),
  );

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await app.close();
      await embedded?.stop();
    })());
  return { config, app, stop };
}

/** Entry-point wrapper: clean one-paragraph errors for bad config, graceful stop on SIGINT/SIGTERM. */
export function run(role: ProcessRole): void {
  boot(role).then(
    (desk) => {
      const onSignal = (signal: NodeJS.Signals): void => {
        new NestLogger('Boot').log(`${signal} received: draining HTTP, closing workers and the database`);
        // The workers' grace period, then a little for the HTTP server and the database pools.
        const force = setTimeout(() => process.exit(1), desk.config.env.SHUTDOWN_GRACE_MS + 5_000);
        force.unref();
        desk.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`Shutdown failed: ${String(err)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    },
    (err: unknown) => {
      if (err instanceof ConfigError) process.stderr.write(`RoseDesk cannot start. ${err.message}\n`);
      else process.stderr.write(`RoseDesk cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
