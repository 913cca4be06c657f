import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { isConnectionFailure } from '../db/unavailable.js';
import { stdoutOnly, type Logger } from '../log.js';

/** Codes whose messages are meant for clients; anything else is masked. */
export const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INSUFFICIENT_FUNDS',
  'INSUFFICIENT_POSITION',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'QUERY_TOO_COMPLEX',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * The original error behind one a client will see as INTERNAL_SERVER_ERROR (a
 * bug: not a refusal, not a database outage), or null. The activity log keeps
 * these, with their stack, in error_logs; formatError masks them.
 */
export function unexpectedError(error: unknown, code: unknown = (error as { extensions?: { code?: unknown } })?.extensions?.code): Error | null {
  if (typeof code === 'string' && CLIENT_CODES.has(code)) return null;
  const original = unwrapResolverError(error);
  if (isConnectionFailure(original)) return null;
  return original instanceof Error ? original : new Error(String(original));
}

/**
 * Masks unexpected errors: a database failure must not leak SQL, hostnames or
 * a stack trace to the client. The original goes to the log with the request id.
 */
export function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const original = unwrapResolverError(error);
    const replaced = (code: string, message: string): GraphQLFormattedError => ({ message, locations: formatted.locations, path: formatted.path, extensions: { code } });
    // A connection failure that no database hook saw (Prisma's $transaction start, a raw driver call) is still
    // "try again shortly", not a bug: the client gets SERVICE_UNAVAILABLE, the log gets the original.
    if (isConnectionFailure(original)) {
      logger.warn({ err: original, path: formatted.path }, 'database unavailable while resolving');
      return replaced('SERVICE_UNAVAILABLE', 'A database is unavailable; try again shortly');
    }
    // Stdout only: the activity log keeps this error in error_logs with its stack (recordUnexpectedErrors).
    logger.error(stdoutOnly({ err: original, path: formatted.path }), 'unexpected error while resolving');
    return replaced('INTERNAL_SERVER_ERROR', 'Internal server error');
  };
}
