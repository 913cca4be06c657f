import type { ApolloServerPlugin } from '@apollo/server';
import { isIP } from 'node:net';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Context } from '../../composition/context.js';
import { unexpectedError } from '../../graphql/format-error.js';
import type { ActivityLog } from './activity-log.js';

function firstCode(errors: readonly GraphQLFormattedError[] | undefined): string {
  if (!errors?.length) return 'OK';
  const code = errors[0]!.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/** Queues an error_logs row (stack kept) for each error a client will see as INTERNAL_SERVER_ERROR. */
export function recordUnexpectedErrors(
  activity: ActivityLog,
  errors: readonly GraphQLError[],
  context: Pick<Context, 'requestId' | 'viewer'>,
  component: string,
): void {
  for (const error of errors) {
    const original = unexpectedError(error);
    if (!original) continue;
    activity.error(original, {
      component,
      correlation_id: context.requestId,
      user_id: context.viewer?.accountId ?? null,
      request_path: error.path?.join('.') ?? null,
    });
  }
}

/**
 * Writes one user_action_logs row per GraphQL mutation (sign-ins included):
 * its root fields, who, from where, status (OK or the first error's code) and
 * duration; an error_logs row, stack kept, for each unexpected error of any
 * operation; and a performance_logs row for any operation slower than
 * ACTIVITY_SLOW_OPERATION_MS. All of it is only queued here (no await).
 */
export function activityPlugin(activity: ActivityLog): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      const started = performance.now();
      const http = request.http;
      return {
        async didEncounterErrors({ errors, contextValue, operation }) {
          recordUnexpectedErrors(activity, errors, contextValue, operation ? `graphql.${operation.operation}` : 'graphql');
        },
        async willSendResponse({ contextValue, operation, operationName, response }) {
          const ms = Math.round((performance.now() - started) * 1000) / 1000;
          const rootFields = (operation?.selectionSet.selections ?? []).flatMap((s) => (s.kind === 'Field' ? [s.name.value] : []));
          const name = rootFields.join(',') || operationName || 'anonymous';
          if (ms >= activity.config.slowOperationMs) {
            activity.performance({
              operation: `${operation?.operation ?? 'operation'} ${name}`,
              duration_ms: ms,
              status: 'slow',
              component: 'graphql',
              correlation_id: contextValue.requestId,
            });
          }
          if (operation?.operation !== 'mutation') return;
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          // inet: anything else would fail the whole batch's INSERT.
          const ip = contextValue.clientIp && isIP(contextValue.clientIp) ? contextValue.clientIp : null;
          activity.userAction({
            action: name,
            // Sign-ins run with no viewer yet: the resolver names the account that signed in.
            user_id: contextValue.viewer?.accountId ?? contextValue.signedInAccountId ?? null,
            session: contextValue.viewer?.sessionId ?? null,
            ip,
            user_agent: http?.headers.get('user-agent') ?? null,
            path: '/graphql',
            method: http?.method ?? null,
            status: firstCode(result?.errors),
            duration_ms: ms,
            correlation_id: contextValue.requestId,
          });
        },
      };
    },
  };
}
