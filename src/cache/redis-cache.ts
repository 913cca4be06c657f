import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { Cache } from './cache.js';

/** Shared by every API process. Errors are logged and turned into misses. */
export class RedisCache implements Cache {
  readonly kind = 'redis';

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly prefix: string,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const json = await this.redis.get(this.prefix + key);
      return json === null ? undefined : (JSON.parse(json) as T);
    } catch (error) {
      this.logger.warn({ err: error, key }, 'cache read failed; treating as a miss');
      return undefined;
    }
  }

  async getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    try {
      const values = await this.redis.mget(keys.map((key) => this.prefix + key));
      return values.map((json) => (json === null ? undefined : (JSON.parse(json) as T)));
    } catch (error) {
      this.logger.warn({ err: error, keys: keys.length }, 'cache read failed; treating as misses');
      return keys.map(() => undefined);
    }
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    try {
      await this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', ttlSeconds);
    } catch (error) {
      this.logger.warn({ err: error, key }, 'cache write failed');
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.redis.del(this.prefix + key);
    } catch (error) {
      this.logger.warn({ err: error, key }, 'cache delete failed');
    }
  }

  async close(): Promise<void> {
    // The connection is owned by the app, which closes it once for every user.
  }
}
