import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { formatError } from '../graphql/format-error.js';
import type { Logger } from '../log.js';
import type { Context } from './context.js';
import { depthLimit } from '../graphql/depth-limit.js';

export interface ApolloOptions {
  schema: GraphQLSchema;
  logger: Logger;
  introspection: boolean;
  maxQueryDepth: number;
  plugins?: ApolloServerPlugin<Context>[];
}

export function createApolloServer(options: ApolloOptions): ApolloServer<Context> {
  return new ApolloServer<Context>({
    schema: options.schema,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    // main.ts owns shutdown. Apollo's own SIGTERM handler would stop it and then
    // re-raise the signal, killing the process before the databases are closed.
    stopOnTerminationSignals: false,
    validationRules: [depthLimit(options.maxQueryDepth)],
    formatError: formatError(options.logger),
    // Apollo's landing page loads from a CDN; the playground is served locally instead.
    plugins: [ApolloServerPluginLandingPageDisabled(), ...(options.plugins ?? [])],
  });
}
