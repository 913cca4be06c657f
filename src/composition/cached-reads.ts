import type { IncomingMessage } from 'node:http';
import type { Cache } from '../cache/cache.js';
import { ResponseCache } from '../cache/response-cache.js';
import type { Config } from '../config.js';
import type { CachedReads, RefusalObserver } from '../http/graphql-handler.js';
import { clientIp } from '../http/client-ip.js';
import { credentialsFromHeaders, type AuthService } from '../modules/auth/auth.service.js';
import { CATALOGUE_CHANGED_TOPIC } from '../modules/screener/catalogue-cache.js';
import { STOCKS_CHANGED_TOPIC } from '../modules/stock/stock-row-cache.js';
import { rateLimitHeaders } from '../ratelimit/rate-limit-plugin.js';
import { rateLimitPoints, type RateLimits } from '../ratelimit/rate-limits.js';
import type { EventBus } from '../realtime/event-bus.js';
import { RedisEventBus } from '../realtime/redis-event-bus.js';
import { indicatorTopic, priceTopic, scanTopic, sentimentTopic } from '../realtime/topics.js';
import type { OperationObserver } from '../observability/operations.js';
import { headerOf, requestScopeOf } from '../observability/request-id.js';

/** The response cache of this process, listening on the bus (null when RESPONSE_CACHE=off). */
export async function openResponseCache(config: Config, bus: EventBus, cache: Cache): Promise<ResponseCache | null> {
  if (!config.responseCache.enabled) return null;
  const responseCache = new ResponseCache(
    bus,
    // Ticks move a symbol's quote, candles and 52-week range; indicator updates its indicators; rows and the catalogue change everything.
    // A sentiment update (refreshSentiment) moves its Stock.sentiment; a scan run (twice a day at most) replaces every marketScan answer.
    { perSymbol: [priceTopic, indicatorTopic, sentimentTopic], global: [STOCKS_CHANGED_TOPIC, CATALOGUE_CHANGED_TOPIC, scanTopic('DAILY'), scanTopic('WEEKLY')] },
    {
      maxEntries: config.responseCache.maxEntries,
      maxEntryBytes: config.responseCache.maxEntryBytes,
      maxBytes: config.responseCache.maxBytes,
      shared: cache.kind === 'redis' ? cache : undefined,
      busGeneration: bus instanceof RedisEventBus ? () => (bus.isConnected ? bus.reconnects : -1) : undefined,
    },
  );
  await responseCache.start();
  return responseCache;
}

/** The HTTP handler's fast path: the same credential check as the context, and a hit spends what the operation cost when it ran. */
export function cachedReads(responseCache: ResponseCache, auth: AuthService, rateLimits: RateLimits, config: Config, operations: OperationObserver): CachedReads {
  return {
    cache: responseCache,
    authenticate: (req: IncomingMessage) => auth.authenticate(credentialsFromHeaders(req.headers)),
    spend: async (req, authState, cost) => {
      const decision = await rateLimits.consume({ viewer: authState.viewer, ip: clientIp(req, config.trustedProxies) }, rateLimitPoints(cost));
      return decision.allowed ? rateLimitHeaders(decision) : null;
    },
    observeHit: (req, authState, hit, startedAt) => {
      const scope = requestScopeOf(req);
      operations.observeOperation({
        transport: 'http',
        requestId: scope.requestId,
        operationName: hit.operationName,
        operationType: 'query',
        durationMs: performance.now() - startedAt,
        cost: hit.cost.requested,
        userId: authState.viewer?.accountId,
        clientName: headerOf(req, 'apollographql-client-name'),
        clientVersion: headerOf(req, 'apollographql-client-version'),
        errorCodes: [],
        traceId: scope.traceId,
        cached: true,
      });
    },
  };
}

/**
 * The operation record of a request the handler refused before Apollo: the document never parsed, so its name and
 * type are unknown (the `(anonymous)` and `unknown` labels, as for a parse failure), and nobody was signed in for it.
 */
export function observeRefusals(operations: OperationObserver): RefusalObserver {
  return (req, errorCodes, startedAt) => {
    const scope = requestScopeOf(req);
    operations.observeOperation({
      transport: 'http',
      requestId: scope.requestId,
      operationName: null,
      operationType: null,
      durationMs: performance.now() - startedAt,
      clientName: headerOf(req, 'apollographql-client-name'),
      clientVersion: headerOf(req, 'apollographql-client-version'),
      errorCodes,
      traceId: scope.traceId,
    });
  };
}
