import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import { formatError } from '../graphql/format-error.js';
import { hideSuggestions, operationCost, QueryTooComplexError, type GuardLimits } from '../graphql/guards/index.js';
import type { Logger } from '../log.js';
import type { Context } from './context.js';

export interface ApolloOptions {
  schema: GraphQLSchema;
  logger: Logger;
  guards: GuardLimits;
  /** The shared rule set (guardRules), the same object the websocket validates with. */
  rules: readonly ValidationRule[];
  plugins?: ApolloServerPlugin<Context>[];
}

const BAD_REQUEST = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });

/**
 * Hides field suggestions when introspection is off, refuses subscriptions
 * (they live on the websocket), computes the operation's cost, keeps it on
 * the context for the rate limiter and reports it in `extensions.cost`.
 */
export function guardPlugin(schema: GraphQLSchema, limits: GuardLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async validationDidStart() {
          return async (errors) => {
            if (limits.introspection || !errors) return;
            for (const error of errors) error.message = hideSuggestions({ message: error.message }).message;
          };
        },
        async didResolveOperation({ operation, document, request, contextValue }) {
          if (operation?.operation === 'subscription') {
            throw BAD_REQUEST('Subscriptions are served over graphql-ws (the graphql-transport-ws protocol) at ws(s)://<host>/graphql, not over HTTP');
          }
          const requested = operationCost(schema, document, request.variables, request.operationName);
          contextValue.cost = { requested, limit: limits.maxCost };
          if (requested > limits.maxCost) {
            const error = new QueryTooComplexError(requested, limits.maxCost);
            throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !contextValue.cost) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: contextValue.cost };
        },
      };
    },
  };
}

export function createApolloServer(options: ApolloOptions): ApolloServer<Context> {
  return new ApolloServer<Context>({
    schema: options.schema,
    // The shared rule set carries the introspection policy (NoSchemaIntrospectionCustomRule),
    // so both transports apply it the same way; Apollo's own switch would add it twice.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // Bounds parse work even if a document reaches Apollo without the handler's text check.
    parseOptions: { maxTokens: options.guards.maxTokens },
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // main.ts owns shutdown. Apollo's own SIGTERM handler would stop it and then
    // re-raise the signal, killing the process before the databases are closed.
    stopOnTerminationSignals: false,
    validationRules: [...options.rules],
    formatError: formatError(options.logger),
    // Compact JSON: Apollo's default pretty-prints every response (indentation: more bytes and more time per answer).
    stringifyResult: (value) => JSON.stringify(value),
    // Apollo's landing page loads from a CDN; the playground is served locally instead.
    plugins: [ApolloServerPluginLandingPageDisabled(), guardPlugin(options.schema, options.guards), ...(options.plugins ?? [])],
  });
}
