import { Logger as NestLogger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { AppModule } from '../app.module';
import { logFormat } from '../common/logging/log-format';
import { createRootLogger, PinoNestLogger } from '../common/logging/pino-nest-logger';
import { ConfigError, loadConfig, type AppConfig, type ProcessRole } from '../config/app-config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../database/embedded-postgres';
import { checkConnections } from './check-connections';
import { configureHttp, createHttpAdapter } from './http';
import { runMigrations } from './migrate';
import { StartupService } from './startup.service';
import { errorText } from '../common/errors/error-text';

export interface RunningDesk {
  config: AppConfig;
  app: INestApplicationContext;
  stop(): Promise<void>;
}

/** Everything a process does before it serves: config, embedded database, connection checks, migrations. */
export async function prepare(
  role: ProcessRole,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ config: AppConfig; embedded: EmbeddedPostgres | null }> {
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

/** Starts a desk process. `all` and `api` serve HTTP; `worker` only runs queue workers. */
export async function boot(role: ProcessRole): Promise<RunningDesk> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { config, embedded } = await prepare(role);
  const logger = createRootLogger({
    level: config.env.LOG_LEVEL,
    role,
    format: logFormat({ stdoutIsTTY: process.stdout.isTTY === true, nodeEnv: config.env.NODE_ENV }),
  });
  let app: INestApplicationContext;
  try {
    if (config.runsHttp) {
      const http = await NestFactory.create<NestFastifyApplication>(
        AppModule.forRoot(config),
        createHttpAdapter(logger),
        { bufferLogs: true },
      );
      http.useLogger(new PinoNestLogger(logger));
      await configureHttp(http, config);
      await http.get(StartupService).prepare();
      await http.listen(config.env.PORT, config.env.HOST);
      app = http;
    } else {
      app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true });
      app.useLogger(new PinoNestLogger(logger));
    }
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  const where =
    config.mode === 'embedded' ? `embedded PostgreSQL in ${embedded?.dataDir}` : 'PostgreSQL at DATABASE_URL';
  const queues = config.mode === 'scaled' ? 'BullMQ on Redis (REDIS_URL)' : 'BullMQ on PostgreSQL';
  new NestLogger('Boot').log(
    {
      mode: config.mode,
      role,
      dataDir: embedded?.dataDir,
      port: config.runsHttp ? config.env.PORT : undefined,
    },
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

/**
 * Entry-point wrapper: clean one-paragraph errors for bad config, graceful stop on SIGINT/SIGTERM. The handlers are
 * in place from the first moment: queue workers start taking jobs while the boot is still finishing, so a signal
 * then must wait for the boot and stop the desk like any other, not end the process mid-job.
 */
export function run(role: ProcessRole): void {
  const booting = boot(role);
  const onSignal = (signal: NodeJS.Signals): void => {
    void booting.then(
      (desk) => {
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
      },
      // A failed boot has already said why and exits below.
      () => undefined,
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  booting.catch((err: unknown) => {
    if (err instanceof ConfigError) process.stderr.write(`RoseDesk cannot start. ${err.message}\n`);
    else process.stderr.write(`RoseDesk cannot start: ${errorText(err)}\n`);
    process.exit(1);
  });
}
