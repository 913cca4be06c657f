import { isCluster, type RedisClient } from '../redis.js';
import type { Logger } from '../log.js';
import type { Cache } from './cache.js';
import { CircuitBreaker } from './circuit-breaker.js';

/**
 * Shared by every API process. Errors are logged and turned into misses; after
 * a few failures a breaker skips Redis entirely for a while, so an outage costs
 * requests nothing (the command timeout bounds the first failures).
 */
export class RedisCache implements Cache {
  readonly kind = 'redis';

  constructor(
    private readonly redis: RedisClient,
    private readonly logger: Logger,
    private readonly prefix: string,
    readonly breaker = new CircuitBreaker(),
  ) {}

  private guarded<T>(what: string, fn: () => Promise<T>, fallback: T): Promise<T> {
    return this.breaker.run(fn, (error) => {
      if (error !== undefined) this.logger.warn({ err: error, breaker: this.breaker.state }, `cache ${what} failed; carrying on without it`);
      return fallback;
    });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const json = await this.guarded('read', () => this.redis.get(this.prefix + key), null);
    return json === null ? undefined : (JSON.parse(json) as T);
  }

  async getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    const names = keys.map((key) => this.prefix + key);
    // MGET needs every key in one slot on a Cluster; one GET per key instead, which auto-pipelining sends as one
    // batch per master. Hash-tagging the prefix would put the whole cache on one master.
    const read = isCluster(this.redis) ? () => Promise.all(names.map((name) => this.redis.get(name))) : () => this.redis.mget(names);
    const values = await this.guarded('read', read, keys.map(() => null));
    return values.map((json) => (json === null ? undefined : (JSON.parse(json) as T)));
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.guarded('write', async () => void (await this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', ttlSeconds)), undefined);
  }

  async delete(key: string): Promise<void> {
    await this.guarded('delete', async () => void (await this.redis.del(this.prefix + key)), undefined);
  }

  async close(): Promise<void> {
    // The connection is owned by the app, which closes it once for every user.
  }
}
