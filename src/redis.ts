import { Redis } from 'ioredis';
import { redactUrl } from './db/database.js';

export class RedisUnreachableError extends Error {
  override name = 'RedisUnreachableError';
}

/**
 * Connects and pings once, so a wrong REDIS_URL fails start-up with one line
 * instead of retrying forever in the background.
 */
export async function connectRedis(url: string, connectionName: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName,
    connectTimeout: 5_000,
    maxRetriesPerRequest: 2,
    // Later outages: keep retrying with a capped backoff; callers fall back meanwhile.
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  // Without a listener ioredis prints every failed reconnect as an unhandled error.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedisUnreachableError(`Cannot reach Redis at ${redactUrl(url)}: ${reason}`);
  }
  return redis;
}
