import type { Cache } from '../cache/cache.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { StockRowCache } from '../modules/stock/stock-row-cache.js';
import type { EventBus } from '../realtime/event-bus.js';
import type { RateLimits } from '../ratelimit/rate-limits.js';
import { namespaceOf, type Metrics } from './metrics.js';
import type { RedisClient } from '../redis.js';

/*
 * Counters attached to existing objects from the composition root, so the cache, the bus and the Redis client
 * stay unaware of metrics. The instances are patched in place (not wrapped) because app.ts tells the buses
 * apart with instanceof.
 */

/** Counts hits and misses of get/getMany by key namespace (`quote`, `indicators`, …). */
export function countCacheLookups(cache: Cache, metrics: Metrics): void {
  const get = cache.get.bind(cache);
  const getMany = cache.getMany.bind(cache);
  const count = (key: string, value: unknown) => metrics.cacheRequests.inc({ cache: namespaceOf(key), result: value === undefined ? 'miss' : 'hit' });
  cache.get = async <T>(key: string) => {
    const value = await get<T>(key);
    count(key, value);
    return value;
  };
  cache.getMany = async <T>(keys: readonly string[]) => {
    const values = await getMany<T>(keys);
    keys.forEach((key, i) => count(key, values[i]));
    return values;
  };
}

/**
 * The in-process caches in the same counter: `stock_rows` (StockRowCache) and `response` (the HTTP response
 * cache; a hit in this process's LRU or in Redis, a miss when neither had a fresh entry).
 */
export function countProcessCaches(metrics: Metrics, caches: { stockRows?: StockRowCache; responseCache?: ResponseCache | null }): void {
  const count = (cache: string, hit: boolean) => metrics.cacheRequests.inc({ cache, result: hit ? 'hit' : 'miss' });
  const { stockRows, responseCache } = caches;
  if (stockRows) {
    const get = stockRows.get.bind(stockRows);
    stockRows.get = (symbol) => {
      const row = get(symbol);
      count('stock_rows', row !== undefined);
      return row;
    };
  }
  if (responseCache) {
    const getLocal = responseCache.getLocal.bind(responseCache);
    const getShared = responseCache.getShared.bind(responseCache);
    responseCache.getLocal = (key) => {
      const entry = getLocal(key);
      if (entry) count('response', true);
      return entry;
    };
    // Asked only after a local miss: its answer decides the look-up.
    responseCache.getShared = async (key) => {
      const entry = await getShared(key);
      count('response', entry !== undefined);
      return entry;
    };
  }
}

/** Counts events published by this process and events delivered to its subscribers (one per handler call). */
export function countBusEvents(bus: EventBus, metrics: Metrics): void {
  const publish = bus.publish.bind(bus);
  const subscribe = bus.subscribe.bind(bus);
  bus.publish = async (topic, payload) => {
    await publish(topic, payload);
    metrics.eventsPublished.inc({ topic: namespaceOf(topic) });
  };
  bus.subscribe = (topic, handler) => {
    const label = { topic: namespaceOf(topic) };
    return subscribe(topic, (payload) => {
      metrics.eventsDelivered.inc(label);
      handler(payload);
    });
  };
}

/** Counts failed Redis commands by command name (errors, command time-outs, "connection is closed"). */
export function countRedisErrors(redis: RedisClient, metrics: Metrics): void {
  type Command = { name: string; promise: Promise<unknown> };
  // A Cluster's sendCommand takes a third argument (the node): pass every argument through.
  const sendCommand = redis.sendCommand.bind(redis) as (...args: unknown[]) => unknown;
  redis.sendCommand = ((command: Command, ...rest: unknown[]) => {
    const result = sendCommand(command, ...rest);
    // A handler on a derived promise: the caller still sees (and must handle) the rejection itself.
    command.promise.catch(() => metrics.redisCommandErrors.inc({ command: command.name }));
    return result;
  }) as never;
}

/** Counts refused decisions of the request budgets (both transports call consume()). */
export function countRateLimitRejections(limits: Pick<RateLimits, 'consume'>, metrics: Metrics): void {
  const consume = limits.consume.bind(limits);
  limits.consume = async (identity, points) => {
    const decision = await consume(identity, points);
    if (!decision.allowed) metrics.rateLimitRejections.inc();
    return decision;
  };
}

/** Pool gauges and the query-time histogram of one database. */
export function watchDatabase(
  db: { name: string; pool?: { totalCount: number; idleCount: number; waitingCount: number }; queries: { onDuration?: (ms: number) => void } },
  metrics: Metrics,
): void {
  metrics.watchPool(db.name, () => db.pool);
  const label = { database: db.name };
  db.queries.onDuration = (ms) => metrics.dbQueryDuration.observe(label, ms / 1000);
}
