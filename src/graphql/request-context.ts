import type { ResponseCacheSlot } from '../cache/response-cache.js';
import type { AuthState } from './auth.js';

/**
 * What the transports (HTTP, graphql-ws) know of a context. The full context
 * with every module's loaders and services is built in src/composition, so
 * infrastructure never imports a domain module.
 */
export interface RequestContext extends AuthState {
  requestId: string;
  /** The caller's address (X-Forwarded-For only from TRUSTED_PROXIES); rate limits and login throttling key on it. */
  clientIp?: string;
  /**
   * Present on websocket operations: lets a subscription close a client that stopped reading, and count each event
   * it dropped from its queue for it (pass both to eventStream as onOverflow and onDrop).
   */
  connection?: { closeSlowConsumer(): void; eventDropped(): void };
  /** The operation's estimated cost (src/graphql/guards/cost.ts), set before it runs; the rate limiter weighs by it. */
  cost?: { requested: number; limit: number };
  /** Set by register, login and refreshToken: the account that signed in (the viewer is still null then). */
  signedInAccountId?: string;
  /** Present when the HTTP response cache may keep this answer: the plugin marks it storable, loaders add the symbols it read. */
  responseCache?: ResponseCacheSlot;
}
