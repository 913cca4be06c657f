/**
 * A small key-value cache with TTLs. JSON values only. Implementations never
 * throw from get/set: a cache outage means a miss, and the caller reads the
 * database instead.
 */
export interface Cache {
  readonly kind: 'memory' | 'redis';
  get<T>(key: string): Promise<T | undefined>;
  /** One round trip for many keys; a result per key, in key order. */
  getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}
