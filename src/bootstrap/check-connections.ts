import { Redis } from 'ioredis';
import { Client } from 'pg';
import { ConfigError, type AppConfig } from '../config/app-config';

const TIMEOUT_MS = 5_000;

function reason(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return reason(err.errors[0]);
  if (err instanceof Error) return (err as NodeJS.ErrnoException).code ?? err.message;
  return String(err);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Fails fast, naming the variable, when DATABASE_URL or REDIS_URL does not answer. */
export async function checkConnections(config: AppConfig): Promise<void> {
  const problems: string[] = [];
  const url = config.databaseUrl;
  if (url) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: TIMEOUT_MS });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (err) {
      const name = config.mode === 'embedded' ? 'embedded database' : 'DATABASE_URL';
      problems.push(`${name}: cannot connect to ${redact(url)} (${reason(err)})`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (config.env.REDIS_URL) {
    const redis = new Redis(config.env.REDIS_URL, {
      lazyConnect: true,
      connectTimeout: TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    let lastError: unknown;
    redis.on('error', (err) => (lastError = err));
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      problems.push(
        `REDIS_URL: cannot connect to ${redact(config.env.REDIS_URL)} (${reason(lastError ?? err)})`,
      );
    } finally {
      redis.disconnect();
    }
  }
  if (problems.length) throw new ConfigError(problems);
}
