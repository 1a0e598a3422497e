import { createPostgresBackend, setDefaultBackendFactory, type ConnectionOptions } from 'bullmq';
import type { AppConfig } from '../config/app-config';

export interface QueueRootOptions {
  connection: ConnectionOptions;
  prefix: string;
}

/**
 * Chooses BullMQ's backend for this process: Redis when REDIS_URL is set, otherwise BullMQ's PostgreSQL backend
 * on the desk's own database. Must run before any Queue or Worker is built (it sets BullMQ's process-wide
 * default backend).
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
  // Through the embedded socket server a per-connection search_path does not hold, so BullMQ's tables go in
  // `public` there; on a real server they get their own schema.
  const pg = {
    connectionString: config.databaseUrl,
    schema: config.mode === 'embedded' ? 'public' : 'bullmq',
    migrate: true,
    max: 3,
  };
  return { prefix, connection: pg };
}
