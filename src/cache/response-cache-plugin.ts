import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../graphql/request-context.js';

/**
 * Marks an answer storable in the response cache (the HTTP handler stores the bytes once Apollo has written
 * them): a query, without errors, whose overall cache policy (Apollo's cacheControl plugin, from the schema's
 * `@cacheControl` hints) is PUBLIC with a maxAge, asked with no refused credential. Everything else is left
 * alone: mutations, PRIVATE or uncached fields, errors, a bad token.
 */
export function responseCachePlugin<TContext extends RequestContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, response, overallCachePolicy }) {
          const slot = contextValue.responseCache;
          if (!slot || operation?.operation !== 'query' || contextValue.authError || !contextValue.cost) return;
          if (response.body.kind !== 'single' || response.body.singleResult.errors?.length) return;
          if (response.http.status !== undefined && response.http.status !== 200) return;
          const policy = overallCachePolicy.policyIfCacheable();
          if (!policy || policy.scope === 'PRIVATE') return;
          slot.storable = { maxAgeSeconds: policy.maxAge, cost: contextValue.cost, operationName: operation.name?.value ?? null };
        },
      };
    },
  };
}
