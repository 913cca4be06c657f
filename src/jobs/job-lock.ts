import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../redis.js';

/** Releases a held lock; a no-op when it has already expired or been taken over. */
export type Release = () => Promise<void>;

/** One holder at a time per job name, across every process that shares the lock's store. */
export interface JobLock {
  tryAcquire(name: string, ttlMs: number): Promise<Release | null>;
  /**
   * Claims a name once for ttlMs, never released: true for the first caller only. The scheduler claims each
   * scheduled tick (job and second) with it, so processes whose clocks fire a few ms apart cannot both run one tick
   * after the first run already released its lock. Absent on a lock of one process, which needs no claim.
   */
  claimOnce?(name: string, ttlMs: number): Promise<boolean>;
}

/** The embedded default: one process, so a map is enough. */
export class MemoryJobLock implements JobLock {
  private readonly held = new Map<string, { token: string; expiresAt: number }>();

  async tryAcquire(name: string, ttlMs: number): Promise<Release | null> {
    const current = this.held.get(name);
    if (current && current.expiresAt > Date.now()) return null;
    const token = randomUUID();
    this.held.set(name, { token, expiresAt: Date.now() + ttlMs });
    return async () => {
      if (this.held.get(name)?.token === token) this.held.delete(name);
    };
  }
}

// Deletes the key only if it still holds our token: a holder whose TTL ran out must not free the next holder's lock.
const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/**
 * SET NX PX: with N API or worker processes on one Redis, each job tick runs
 * in exactly one of them. The TTL bounds how long a crashed holder blocks the
 * job; choose it longer than a normal run.
 */
export class RedisJobLock implements JobLock {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async claimOnce(name: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}${name}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async tryAcquire(name: string, ttlMs: number): Promise<Release | null> {
    const key = `${this.prefix}${name}`;
    const token = randomUUID();
    const acquired = await this.redis.set(key, token, 'PX', ttlMs, 'NX');
    if (acquired !== 'OK') return null;
    return async () => {
      await this.redis.eval(RELEASE_SCRIPT, 1, key, token);
    };
  }
}
