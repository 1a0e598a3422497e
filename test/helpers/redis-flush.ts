import Redis from 'ioredis';

/** Deletes every Redis key of one queue prefix (SCAN + DEL), as a flush would, without touching other tests' keys. */
export async function flushPrefix(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  try {
    // Collect first, then delete in one command: deleting page by page left a window in which a watchdog saw the
    // scheduler gone, restored it, and a later page deleted the restored keys (seen as a flaky sla-timers test).
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, page] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of page) keys.add(key);
    } while (cursor !== '0');
    return keys.size ? await redis.del(...keys) : 0;
  } finally {
    redis.disconnect();
  }
}
