import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Context } from '../../composition/context.js';
import type { StartedOperation, WebSocketObserver } from '../../observability/websocket-observer.js';
import type { ActivityLog } from './activity-log.js';

interface SocketActivity {
  ip: string | null;
  userAgent: string | null;
  operations: Map<string, StartedOperation & { startedAt: number }>;
}

function firstCode(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string {
  if (!errors?.length) return 'OK';
  const code = errors[0]!.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

const userAgentOf = (request: IncomingMessage) => {
  const value = request.headers['user-agent'];
  return (Array.isArray(value) ? value[0] : value) ?? null;
};

/**
 * The activity plugin's rows for websocket operations, which never run Apollo's plugins: one user_action_logs row per
 * mutation (method `WS`; ip and user agent of the socket's upgrade request) and a performance_logs row for a query or
 * mutation slower than ACTIVITY_SLOW_OPERATION_MS. Operations refused before they start (validation, rate limit) are
 * not recorded. Only queues rows, like the plugin.
 */
export function activityWebSocketObserver(activity: ActivityLog): Partial<WebSocketObserver> {
  const sockets = new WeakMap<object, SocketActivity>();
  return {
    connected(socket, ip, request) {
      // inet: anything else would fail the whole batch's INSERT.
      sockets.set(socket, { ip: isIP(ip) ? ip : null, userAgent: userAgentOf(request), operations: new Map() });
    },
    disconnected(socket) {
      sockets.delete(socket);
    },
    started(socket, operation) {
      if (operation.operationType === 'subscription') return;
      sockets.get(socket)?.operations.set(operation.id, { ...operation, startedAt: performance.now() });
    },
    finished(socket, id, errors) {
      const state = sockets.get(socket);
      const operation = state?.operations.get(id);
      if (!state || !operation) return;
      state.operations.delete(id);
      const ms = Math.round((performance.now() - operation.startedAt) * 1000) / 1000;
      const name = operation.rootFields?.join(',') || operation.operationName || 'anonymous';
      const context = operation.context as Partial<Context> | undefined;
      if (ms >= activity.config.slowOperationMs) {
        activity.performance({ operation: `${operation.operationType ?? 'operation'} ${name}`, duration_ms: ms, status: 'slow', component: 'graphql-ws', correlation_id: operation.requestId });
      }
      if (operation.operationType !== 'mutation') return;
      activity.userAction({
        action: name,
        // Sign-ins run with no viewer yet: the resolver names the account that signed in.
        user_id: context?.viewer?.accountId ?? context?.signedInAccountId ?? null,
        session: context?.viewer?.sessionId ?? null,
        ip: state.ip,
        user_agent: state.userAgent,
        path: '/graphql',
        method: 'WS',
        status: firstCode(errors),
        duration_ms: ms,
        correlation_id: operation.requestId,
      });
    },
  };
}
