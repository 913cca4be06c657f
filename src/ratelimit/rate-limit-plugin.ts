import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { RateLimitedError } from '../graphql/errors.js';
import type { RequestContext } from '../graphql/request-context.js';
import type { RateLimitDecision, RateLimits } from './rate-limits.js';

export interface RateLimitPluginOptions<TContext extends RequestContext> {
  /** Cost units this operation consumes (at least 1 is charged). @default () => 1 */
  pointsOf?: (requestContext: GraphQLRequestContext<TContext>) => number;
}

/** The IETF draft's RateLimit-* headers; unlimited callers get none. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  if (!Number.isFinite(decision.limit)) return {};
  const headers: Record<string, string> = {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
  };
  if (!decision.allowed) headers['retry-after'] = String(decision.resetSeconds);
  return headers;
}

/**
 * Charges each resolved operation to its caller's budget (after parsing and
 * validation, so the cost is known) and refuses an operation over budget with
 * RATE_LIMITED and HTTP 429. Every limited response carries RateLimit-* headers.
 */
export function rateLimitPlugin<TContext extends RequestContext>(
  limits: RateLimits,
  options: RateLimitPluginOptions<TContext> = {},
): ApolloServerPlugin<TContext> {
  const pointsOf = options.pointsOf ?? (() => 1);
  return {
    async requestDidStart() {
      let decision: RateLimitDecision | undefined;
      return {
        async didResolveOperation(requestContext) {
          const { viewer, clientIp } = requestContext.contextValue;
          decision = await limits.consume({ viewer, ip: clientIp ?? 'unknown' }, pointsOf(requestContext));
          if (!decision.allowed) throw new RateLimitedError(decision.resetSeconds);
        },
        async willSendResponse({ response }) {
          if (!decision) return;
          for (const [name, value] of Object.entries(rateLimitHeaders(decision))) response.http.headers.set(name, value);
          if (!decision.allowed) response.http.status = 429;
        },
      };
    },
  };
}
