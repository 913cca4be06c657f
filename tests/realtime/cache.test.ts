import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../src/cache/memory-cache.js';
import { RedisCache } from '../../src/cache/redis-cache.js';
import { createLogger } from '../../src/log.js';
import { connectRedis } from '../../src/redis.js';
import { testRedisUrl } from '../support/servers.js';

const redisUrl = testRedisUrl();
const toClose: (() => void)[] = [];
afterEach(() => toClose.splice(0).forEach((close) => close()));

describe('MemoryCache', () => {
  it('returns a copy of what was stored until its TTL passes', async () => {
    let now = 1_000_000;
    const cache = new MemoryCache(() => now);
    toClose.push(() => void cache.close());
    const value = { price: 190.5 };
    await cache.set('quote:AAPL', value, 5);
    const read = await cache.get('quote:AAPL');
    expect(read).toEqual(value);
    expect(read).not.toBe(value);
    now += 4_999;
    expect(await cache.get('quote:AAPL')).toEqual(value);
    now += 1;
    expect(await cache.get('quote:AAPL')).toBeUndefined();
  });

  it('forgets deleted keys', async () => {
    const cache = new MemoryCache();
    toClose.push(() => void cache.close());
    await cache.set('k', 1, 60);
    await cache.delete('k');
    expect(await cache.get('k')).toBeUndefined();
  });
});

describe.skipIf(!redisUrl)('RedisCache (needs a real Redis: set TEST_REDIS_URL)', () => {
  it('stores JSON with a TTL under its prefix', async () => {
    const redis = await connectRedis(redisUrl!, 'test-cache');
    toClose.push(() => redis.disconnect());
    const prefix = `mgtest:${randomBytes(4).toString('hex')}:cache:`;
    const cache = new RedisCache(redis, createLogger('silent'), prefix);
    await cache.set('quote:AAPL', { price: 190.5 }, 300);
    expect(await cache.get('quote:AAPL')).toEqual({ price: 190.5 });
    const ttl = await redis.ttl(`${prefix}quote:AAPL`);
    expect(ttl).toBeGreaterThan(290);
    expect(ttl).toBeLessThanOrEqual(300);
  });

  it('turns a Redis outage into a miss instead of an error', async () => {
    const redis = await connectRedis(redisUrl!, 'test-cache-outage');
    const cache = new RedisCache(redis, createLogger('silent'), 'mgtest:outage:');
    redis.disconnect();
    await expect(cache.get('anything')).resolves.toBeUndefined();
    await expect(cache.set('anything', 1, 10)).resolves.toBeUndefined();
  });
});
