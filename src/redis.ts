import { Redis } from 'ioredis';
import { redactUrl } from './db/database.js';

export class RedisUnreachableError extends Error {
  override name = 'RedisUnreachableError';
}

/**
 * Connects and pings once, so a wrong REDIS_URL fails start-up with one line
 * instead of retrying forever in the background.
 */
export async function connectRedis(url: string, connectionName: string, options: { commandTimeoutMs?: number; subscriber?: boolean } = {}): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName,
    connectTimeout: 5_000,
    // While disconnected a command fails at once instead of queueing until Redis is back;
    // a command to a Redis that stopped answering fails after commandTimeout.
    // The subscriber keeps its offline queue: ioredis re-subscribes its channels on reconnect.
    enableOfflineQueue: options.subscriber ?? false,
    maxRetriesPerRequest: options.subscriber ? null : 0,
    ...(options.subscriber ? {} : { commandTimeout: options.commandTimeoutMs ?? 500 }),
    // Later outages: keep retrying with a capped backoff; callers fall back meanwhile.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
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
