import type { Cluster } from 'ioredis';
import { loadConfig } from '../../src/config.js';
import { connectRedis, isCluster, type ConnectOptions } from '../../src/redis.js';

/** A Cluster client on TEST_REDIS_CLUSTER_NODES (the caller disconnects it). */
export async function connectTestCluster(nodes: string, name: string, options: ConnectOptions = {}): Promise<Cluster> {
  const client = await connectRedis(loadConfig({ REDIS_CLUSTER_NODES: nodes }).redis!, name, { commandTimeoutMs: 2_000, ...options });
  if (!isCluster(client)) throw new Error('expected a Cluster client');
  return client;
}

/** Deletes this run's keys (those starting with `prefix`) on every master; nothing else. */
export async function deleteClusterKeys(client: Cluster, prefix: string): Promise<void> {
  for (const master of client.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await master.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) await master.del(key);
    } while (cursor !== '0');
  }
}
