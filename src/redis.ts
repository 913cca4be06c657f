import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisTopology } from './config.js';
import { redactUrl } from './db/database.js';

export class RedisUnreachableError extends Error {
  override name = 'RedisUnreachableError';
}

/**
 * A command connection of any topology. Commands are the same on both; what differs on a Cluster: every key of a
 * multi-key command or Lua script must hash to one slot (hash-tag a shared part of the keys: `{mg}:…`), a pipeline
 * must stay on one node, and the event bus uses sharded pub/sub (SPUBLISH/SSUBSCRIBE).
 */
export type RedisClient = Redis | Cluster;

export interface ConnectOptions {
  commandTimeoutMs?: number;
  /** A connection for SUBSCRIBE (or, on a Cluster, SSUBSCRIBE to every master): keeps its offline queue. */
  subscriber?: boolean;
  /**
   * A connection for blocking commands (BullMQ's Worker and QueueEvents: BZPOPMIN, XREAD BLOCK): like a subscriber,
   * no command timeout, no retry limit, an offline queue. BullMQ on a Cluster also needs its `prefix` hash-tagged
   * (`{mg:bull}`): its Lua scripts touch several keys of a queue, which must share one slot.
   */
  blocking?: boolean;
}

export function isCluster(client: RedisClient): client is Cluster {
  return client.isCluster;
}

/** Later outages: keep retrying with a capped backoff; callers fall back meanwhile. */
const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2_000);

function nodeOptions(connectionName: string, options: ConnectOptions): RedisOptions {
  const longLived = options.subscriber === true || options.blocking === true;
  return {
    lazyConnect: true,
    connectionName,
    connectTimeout: 5_000,
    // While disconnected a command fails at once instead of queueing until Redis is back;
    // a command to a Redis that stopped answering fails after commandTimeout.
    // The subscriber keeps its offline queue: ioredis re-subscribes its channels on reconnect.
    enableOfflineQueue: longLived,
    maxRetriesPerRequest: longLived ? null : 0,
    ...(longLived ? {} : { commandTimeout: options.commandTimeoutMs ?? 500 }),
    retryStrategy,
  };
}

function clientFor(topology: RedisTopology, connectionName: string, options: ConnectOptions): RedisClient {
  if (topology.kind === 'single') return new Redis(topology.url, nodeOptions(connectionName, options));
  if (topology.kind === 'sentinel') {
    return new Redis({
      ...nodeOptions(connectionName, options),
      sentinels: topology.sentinels,
      name: topology.name,
      password: topology.password,
      sentinelPassword: topology.sentinelPassword,
      sentinelRetryStrategy: retryStrategy,
      // Listens for +switch-master on the sentinels and reconnects at once: without it the client keeps writing to the
      // old master until Sentinel demotes it, and those writes are lost.
      failoverDetector: true,
    });
  }
  const { enableOfflineQueue, ...perNode } = nodeOptions(connectionName, options);
  const clusterOptions: ClusterOptions = {
    lazyConnect: true,
    enableOfflineQueue,
    clusterRetryStrategy: retryStrategy,
    redisOptions: { ...perNode, password: topology.password },
    // Concurrent single-key commands (the cache's getMany) travel as one pipeline per node.
    enableAutoPipelining: !options.subscriber && !options.blocking,
    // Sharded pub/sub: SSUBSCRIBE goes to the master owning the channel's slot, one subscriber connection per master.
    shardedSubscribers: options.subscriber ?? false,
  };
  return new Cluster(topology.nodes, clusterOptions);
}

function describe(topology: RedisTopology): string {
  if (topology.kind === 'single') return redactUrl(topology.url);
  const nodes = (topology.kind === 'sentinel' ? topology.sentinels : topology.nodes).map((node) => `${node.host}:${node.port}`).join(',');
  return topology.kind === 'sentinel' ? `Sentinel ${nodes} (master ${topology.name})` : `Cluster ${nodes}`;
}

/**
 * Connects and pings once, so a wrong REDIS_URL (or REDIS_SENTINELS, REDIS_CLUSTER_NODES) fails start-up with one
 * line instead of retrying forever in the background. The one factory of every Redis connection the app makes;
 * BullMQ takes a connection from it too (a Cluster needs its queue prefix hash-tagged, e.g. `{mg:bull}`).
 */
export async function connectRedis(url: string, connectionName: string, options?: ConnectOptions): Promise<Redis>;
export async function connectRedis(topology: RedisTopology, connectionName: string, options?: ConnectOptions): Promise<RedisClient>;
export async function connectRedis(target: string | RedisTopology, connectionName: string, options: ConnectOptions = {}): Promise<RedisClient> {
  const topology: RedisTopology = typeof target === 'string' ? { kind: 'single', url: target } : target;
  const redis = clientFor(topology, connectionName, options);
  // Without a listener ioredis prints every failed reconnect as an unhandled error.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedisUnreachableError(`Cannot reach Redis at ${describe(topology)}: ${reason}`);
  }
  return redis;
}

/**
 * A connection for a library that connects on its own and waits for readiness (BullMQ): no ping at start, errors
 * swallowed here as connectRedis does. Start-up has already proved the topology reachable through connectRedis.
 */
export function openRedisClient(topology: RedisTopology, connectionName: string, options: ConnectOptions = {}): RedisClient {
  const redis = clientFor(topology, connectionName, options);
  redis.on('error', () => undefined);
  redis.connect().catch(() => undefined);
  return redis;
}
