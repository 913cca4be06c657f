import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { RedisEventBus } from '../../src/realtime/redis-event-bus.js';
import { connectRedis, isCluster, RedisUnreachableError, type RedisClient } from '../../src/redis.js';
import { testRedisSentinels } from '../support/servers.js';

const sentinel = testRedisSentinels();
const opened: RedisClient[] = [];
afterEach(() => {
  for (const client of opened.splice(0)) client.disconnect();
});

describe('Redis topology settings', () => {
  it('reads REDIS_CLUSTER_NODES as a Cluster and makes the tick stream default to Redis', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: 'redis-1:7000, redis-2:7001,10.0.0.3:7002' });
    expect(config.redis).toEqual({ kind: 'cluster', nodes: [{ host: 'redis-1', port: 7000 }, { host: 'redis-2', port: 7001 }, { host: '10.0.0.3', port: 7002 }], password: undefined });
    expect(config.redisUrl).toBeUndefined();
    expect(config.tickStream.mode).toBe('redis');
  });

  it('reads REDIS_SENTINELS with the master name and the passwords', () => {
    const config = loadConfig({ REDIS_SENTINELS: 's1:26379,s2:26380', REDIS_SENTINEL_NAME: 'mymaster', REDIS_PASSWORD: 'data-pass', REDIS_SENTINEL_PASSWORD: 'sentinel-pass' });
    expect(config.redis).toEqual({
      kind: 'sentinel',
      sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26380 }],
      name: 'mymaster',
      password: 'data-pass',
      sentinelPassword: 'sentinel-pass',
    });
  });

  it('keeps REDIS_URL as one node, and no Redis at all as the embedded default', () => {
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379' }).redis).toEqual({ kind: 'single', url: 'redis://cache:6379' });
    expect(loadConfig({}).redis).toBeUndefined();
  });

  it.each([
    [{ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:7000' }, /^Invalid environment variable REDIS_CLUSTER_NODES: set only one of REDIS_URL, REDIS_SENTINELS, REDIS_CLUSTER_NODES/],
    [{ REDIS_SENTINELS: 's1:26379', REDIS_CLUSTER_NODES: 'b:7000', REDIS_SENTINEL_NAME: 'm' }, /^Invalid environment variable REDIS_CLUSTER_NODES: set only one of/],
    [{ REDIS_SENTINELS: 's1:26379' }, /^Invalid environment variable REDIS_SENTINEL_NAME: required with REDIS_SENTINELS/],
    [{ REDIS_SENTINEL_NAME: 'mymaster' }, /^Invalid environment variable REDIS_SENTINEL_NAME: only meaningful with REDIS_SENTINELS/],
    [{ REDIS_CLUSTER_NODES: 'redis-1' }, /^Invalid environment variable REDIS_CLUSTER_NODES: expected comma-separated host:port pairs/],
    [{ REDIS_CLUSTER_NODES: 'redis://redis-1:7000' }, /^Invalid environment variable REDIS_CLUSTER_NODES: expected comma-separated host:port pairs/],
    [{ REDIS_SENTINELS: 's1:99999', REDIS_SENTINEL_NAME: 'm' }, /^Invalid environment variable REDIS_SENTINELS: expected ports up to 65535/],
  ])('rejects %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('fails to connect to a Cluster that does not answer with one error naming its nodes', async () => {
    const topology = loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:1,127.0.0.1:2' }).redis!;
    const failure = await connectRedis(topology, 'test-unreachable').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RedisUnreachableError);
    expect((failure as Error).message).toMatch(/^Cannot reach Redis at Cluster 127\.0\.0\.1:1,127\.0\.0\.1:2: /);
  });
});

describe.skipIf(!sentinel)('Redis through Sentinel (needs TEST_REDIS_SENTINELS and TEST_REDIS_SENTINEL_NAME: SENTINEL_PORT=26379 scripts/start-redis-cluster.sh)', () => {
  it('finds the master through the sentinel and runs commands and the event bus on it', async () => {
    const topology = loadConfig({ REDIS_SENTINELS: sentinel!.sentinels, REDIS_SENTINEL_NAME: sentinel!.name }).redis!;
    const [redis, subscriber] = [await connectRedis(topology, 'test-sentinel'), await connectRedis(topology, 'test-sentinel-sub', { subscriber: true })];
    opened.push(redis, subscriber);
    expect(isCluster(redis)).toBe(false);
    const prefix = `mgtest:${randomBytes(4).toString('hex')}:`;
    await redis.set(`${prefix}k`, 'v', 'EX', 60);
    expect(await redis.get(`${prefix}k`)).toBe('v');
    expect(await redis.del(`${prefix}k`)).toBe(1);
    // The sentinel hands out the master, never a replica.
    const [role] = (await redis.call('ROLE')) as [string, ...unknown[]];
    expect(role).toBe('master');

    const bus = new RedisEventBus(redis, subscriber, createLogger('silent'), `${prefix}events:`);
    expect(bus.sharded).toBe(false);
    let deliver!: (event: unknown) => void;
    const received = new Promise((resolve) => (deliver = resolve));
    await bus.subscribe('t', (event) => deliver(event));
    await bus.publish('t', { via: 'sentinel' });
    expect(await received).toEqual({ via: 'sentinel' });
    await bus.close();
  });
});
