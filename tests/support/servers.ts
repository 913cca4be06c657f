/**
 * Whether the suite runs against real servers. Under CI=true every server must
 * be given: a missing URL is a failure, never a silent skip.
 */
export const inCi = process.env.CI === 'true';

export function requireServer(kind: 'postgres' | 'redis', given: boolean): void {
  if (!given && inCi) {
    const variables = kind === 'postgres' ? 'TEST_STOCK_DATABASE_URL and TEST_USER_DATABASE_URL' : 'TEST_REDIS_URL';
    throw new Error(`CI=true but ${variables} is not set: CI must run the suite against real ${kind}`);
  }
}

/** The Redis URL for tests that need a real Redis, or undefined (those tests skip, saying why). */
export function testRedisUrl(): string | undefined {
  const url = process.env.TEST_REDIS_URL || undefined;
  requireServer('redis', url !== undefined);
  return url;
}

/**
 * A Redis Cluster's nodes (`host:port,…`, scripts/start-redis-cluster.sh) for the Cluster tests, or undefined (they
 * skip, saying why). Under CI=true with real servers a missing list is a failure: .ci/run starts the cluster.
 */
export function testRedisClusterNodes(): string | undefined {
  const nodes = process.env.TEST_REDIS_CLUSTER_NODES || undefined;
  if (!nodes && inCi && process.env.TEST_REDIS_URL) throw new Error('CI=true but TEST_REDIS_CLUSTER_NODES is not set: .ci/run starts a Redis Cluster (scripts/start-redis-cluster.sh)');
  return nodes;
}

/** Sentinels (`host:port,…`) and the master name they monitor, or undefined (the Sentinel test skips). */
export function testRedisSentinels(): { sentinels: string; name: string } | undefined {
  const sentinels = process.env.TEST_REDIS_SENTINELS || undefined;
  const name = process.env.TEST_REDIS_SENTINEL_NAME || undefined;
  if ((!sentinels || !name) && inCi && process.env.TEST_REDIS_URL) throw new Error('CI=true but TEST_REDIS_SENTINELS / TEST_REDIS_SENTINEL_NAME are not set: .ci/run starts a sentinel');
  return sentinels && name ? { sentinels, name } : undefined;
}
