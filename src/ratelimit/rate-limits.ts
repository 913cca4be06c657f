import type { RedisClient } from '../redis.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../config.js';
import type { Viewer } from '../graphql/auth.js';

export interface RateLimitIdentity {
  viewer: Viewer | null;
  ip: string;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** The window's budget in cost units; Infinity when unlimited (admins, RATE_LIMITS=off). */
  limit: number;
  remaining: number;
  /** Seconds until the window's budget is whole again (0 when unlimited). */
  resetSeconds: number;
}

const HOUR = 3_600;
/** A Redis command slower than this falls back to the in-process limiter: a limit must never stall a request. */
const REDIS_TIMEOUT_MS = 150;

export interface RateLimitStore {
  redis?: RedisClient;
  /** Redis key prefix of this deployment (REDIS_KEY_PREFIX). */
  keyPrefix: string;
}

/**
 * One limiter per budget. With Redis, the counters are shared by every API
 * process; when Redis is down or slow, each process counts alone in memory
 * (rate-limiter-flexible's insurance limiter) instead of refusing or waiting.
 */
interface Budget {
  /** Points per window (kept here: the timeout wrapper reports 0). */
  points: number;
  limiter: RateLimiterAbstract;
}

function limiter(store: RateLimitStore, name: string, points: number, duration: number): Budget {
  const keyPrefix = `${store.keyPrefix}rl:${name}`;
  const memory = new RateLimiterMemory({ keyPrefix, points, duration });
  if (!store.redis) return { points, limiter: memory };
  const redis = new RateLimiterRedis({
    storeClient: store.redis,
    keyPrefix,
    points,
    duration,
    // Not connected: answer from memory at once rather than queue behind the reconnect.
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
  return { points, limiter: new RLWrapperTimeouts({ limiter: redis, timeoutMs: REDIS_TIMEOUT_MS, insuranceLimiter: memory }) };
}

const UNLIMITED: RateLimitDecision = { allowed: true, limit: Number.POSITIVE_INFINITY, remaining: Number.POSITIVE_INFINITY, resetSeconds: 0 };

function secondsOf(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * Hourly budgets in cost units: per IP when anonymous, per account by tier
 * when signed in (API keys carry their owner's tier), none for admins. Framework-free:
 * the Apollo plugin and the websocket path both call consume().
 */
export class RateLimits {
  private readonly anonymous: Budget;
  private readonly free: Budget;
  private readonly pro: Budget;

  constructor(
    readonly config: RateLimitConfig,
    store: RateLimitStore,
  ) {
    this.anonymous = limiter(store, 'anon', config.anonymousPerHour, HOUR);
    this.free = limiter(store, 'free', config.freePerHour, HOUR);
    this.pro = limiter(store, 'pro', config.proPerHour, HOUR);
  }

  async consume(identity: RateLimitIdentity, points: number): Promise<RateLimitDecision> {
    if (!this.config.enabled) return UNLIMITED;
    const { viewer } = identity;
    if (viewer?.role === 'ADMIN') return UNLIMITED;
    const [budget, key] = !viewer
      ? [this.anonymous, `ip:${identity.ip}`]
      : viewer.tier === 'PRO'
        ? [this.pro, `acct:${viewer.accountId}`]
        : [this.free, `acct:${viewer.accountId}`];
    const cost = Math.max(1, Math.ceil(Number.isFinite(points) ? points : 1));
    try {
      const res = await budget.limiter.consume(key, cost);
      return { allowed: true, limit: budget.points, remaining: res.remainingPoints, resetSeconds: secondsOf(res.msBeforeNext) };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { allowed: false, limit: budget.points, remaining: 0, resetSeconds: secondsOf(rejection.msBeforeNext) };
    }
  }
}

/**
 * Failed sign-ins per account (email) and per IP within a window. Once either
 * is spent, every attempt is refused, right password or not, until the window ends.
 */
export class LoginThrottle {
  private readonly perAccount: Budget;
  private readonly perIp: Budget;

  constructor(
    private readonly config: RateLimitConfig,
    store: RateLimitStore,
  ) {
    this.perAccount = limiter(store, 'login-acct', config.loginMaxFailuresPerAccount, config.loginFailureWindowSeconds);
    this.perIp = limiter(store, 'login-ip', config.loginMaxFailuresPerIp, config.loginFailureWindowSeconds);
  }

  /** Seconds to wait when this email or IP has no attempts left, else null. */
  async blockedFor(email: string, ip: string): Promise<number | null> {
    if (!this.config.enabled) return null;
    const [account, address] = await Promise.all([
      this.perAccount.limiter.get(email.toLowerCase()).catch(() => null),
      this.perIp.limiter.get(ip).catch(() => null),
    ]);
    const waits = [
      [account, this.perAccount.points] as const,
      [address, this.perIp.points] as const,
    ].flatMap(([res, max]) => (res && res.consumedPoints >= max ? [secondsOf(res.msBeforeNext)] : []));
    return waits.length > 0 ? Math.max(...waits) : null;
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    if (!this.config.enabled) return;
    const spend = (budget: Budget, key: string) =>
      budget.limiter.consume(key, 1).then(
        () => undefined,
        (rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
        },
      );
    await Promise.all([spend(this.perAccount, email.toLowerCase()), spend(this.perIp, ip)]);
  }

  /** A right password (while not blocked) clears the account's failures; the IP's stay. */
  async recordSuccess(email: string): Promise<void> {
    if (!this.config.enabled) return;
    await this.perAccount.limiter.delete(email.toLowerCase()).catch(() => undefined);
  }
}

/**
 * What an operation spends from its budget: its estimated cost, at least 1
 * (`{ __typename }` is not free). An operation refused as too complex spends
 * 1, not its estimate, so a client's mistake does not empty its budget.
 */
export function rateLimitPoints(cost: { requested: number; limit: number } | undefined): number {
  if (!cost || cost.requested > cost.limit) return 1;
  return Math.max(1, Math.ceil(cost.requested));
}
