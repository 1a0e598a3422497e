import {
  createPostgresBackend,
  runMigrations,
  setDefaultBackendFactory,
  type ConnectionOptions,
} from 'bullmq';
import { Client } from 'pg';
import type { AppConfig } from '../config/app-config';

export interface QueueRootOptions {
  connection: ConnectionOptions;
  prefix: string;
}

/**
 * Chooses BullMQ's backend for this process: Redis when REDIS_URL is set, otherwise BullMQ's PostgreSQL backend
 * on the desk's own database. Must run before any Queue or Worker is built (it sets BullMQ's process-wide
 * default backend). On PostgreSQL every queue's connection only reads the schema's version: the schema is brought
 * up to date once per process, by prepareQueueBackend.
 */
export function queueRootOptions(config: AppConfig): QueueRootOptions {
  const prefix = config.env.QUEUE_PREFIX;
  const redisUrl = config.env.REDIS_URL;
  if (redisUrl) {
    setDefaultBackendFactory(undefined);
    const url = new URL(redisUrl);
    return {
      prefix,
      connection: {
        host: url.hostname,
        port: Number(url.port || 6379),
        username: url.username ? decodeURIComponent(url.username) : undefined,
        password: url.password ? decodeURIComponent(url.password) : undefined,
        db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
        tls: url.protocol === 'rediss:' ? {} : undefined,
        maxRetriesPerRequest: null,
      },
    };
  }
  if (!config.databaseUrl) throw new Error('The queue backend needs the database URL before queues start');
  setDefaultBackendFactory(createPostgresBackend);
  const pg = {
    connectionString: config.databaseUrl,
    schema: queueSchema(config),
    migrate: false,
    max: 3,
  };
  return { prefix, connection: pg };
}

/**
 * queueRootOptions, after bringing BullMQ's PostgreSQL schema up to date on one connection of its own. Left to
 * each connection (BullMQ's `migrate: true`), every Queue and Worker runs the migration check, one at a time under
 * one advisory lock, and each run alters BullMQ's ledger table: a cost per queue (and per supplier's queue) that
 * one run per process removes.
 */
export async function prepareQueueBackend(config: AppConfig): Promise<QueueRootOptions> {
  const root = queueRootOptions(config);
  if (config.env.REDIS_URL) return root;
  const client = new Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    await runMigrations(client, queueSchema(config));
  } finally {
    await client.end();
  }
  return root;
}

/**
 * Through the embedded socket server a per-connection search_path does not hold, so BullMQ's tables go in `public`
 * there; on a real server they get their own schema.
 */
function queueSchema(config: AppConfig): string {
  return config.mode === 'embedded' ? 'public' : 'bullmq';
}
