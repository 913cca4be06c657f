import type { IncomingMessage } from 'node:http';
import type { RequestContext } from '../graphql/request-context.js';
import type { Logger } from '../log.js';
import type { Metrics } from './metrics.js';
import type { OperationObserver, OperationType } from './operations.js';

/** What the graphql-ws server tells about its sockets and operations (src/realtime/graphql-ws-server.ts). */
export interface WebSocketObserver {
  /** `request` is the socket's upgrade request (its user agent, headers). */
  connected(socket: object, ip: string, request: IncomingMessage): void;
  disconnected(socket: object, code: number, reason: string): void;
  /** An operation passed every check and starts now; or a query or mutation its budget refused (finished follows). */
  started(socket: object, operation: StartedOperation): void;
  /** A query or mutation answered, or an operation refused (errors only). */
  finished(socket: object, id: string, errors: readonly { extensions?: Record<string, unknown> }[] | undefined): void;
  /** A subscription ended (client `complete`, or the server ended it). */
  completed(socket: object, id: string): void;
  /** A socket is being closed for not reading (the server logs the line itself). */
  slowConsumer(socket: object): void;
  /** A subscription event was not delivered to this socket. */
  eventDropped(socket: object, reason: DroppedEventReason): void;
}

/**
 * Why an event was not delivered: `queue_full` (dropped from a subscription's queue, oldest first, for a consumer
 * 1000 events behind), `socket_buffer_full` (more than WS_MAX_BUFFERED_BYTES unsent: the socket is being closed),
 * `socket_closed` (the socket is closing or closed; a slow consumer's remaining events land here).
 */
export type DroppedEventReason = 'queue_full' | 'socket_buffer_full' | 'socket_closed';

export interface StartedOperation {
  id: string;
  requestId: string;
  operationName?: string | null;
  operationType?: OperationType;
  /** The root field of a subscription (the active-subscriptions gauge's label). */
  field?: string;
  /** Every root field selected (a user action's name). */
  rootFields?: readonly string[];
  /** The operation's context: its viewer, and the account a sign-in mutation signed in once it has run. */
  context?: RequestContext;
  cost?: number;
  userId?: string | null;
}

interface SocketState {
  id: number;
  ip: string;
  openedAt: number;
  operations: Map<string, StartedOperation & { startedAt: number }>;
}

/**
 * Log lines for websocket connect, disconnect and subscribe, the connection and subscription gauges, and the
 * operation record of each websocket query or mutation (through the same OperationObserver as HTTP).
 */
export function createWebSocketObserver(logger: Logger, metrics: Metrics, operations: OperationObserver): WebSocketObserver {
  const sockets = new WeakMap<object, SocketState>();
  let nextSocketId = 0;
  const endSubscription = (operation: StartedOperation) => {
    if (operation.operationType === 'subscription') metrics.activeSubscriptions.dec({ field: operation.field ?? 'unknown' });
  };
  return {
    connected(socket, ip) {
      const state: SocketState = { id: ++nextSocketId, ip, openedAt: performance.now(), operations: new Map() };
      sockets.set(socket, state);
      metrics.websocketConnections.inc();
      logger.info({ transport: 'ws', socketId: state.id, ip }, 'websocket connected');
    },
    disconnected(socket, code, reason) {
      const state = sockets.get(socket);
      if (!state) return;
      sockets.delete(socket);
      metrics.websocketConnections.dec();
      // Subscriptions still running when the socket went away end with it.
      for (const operation of state.operations.values()) endSubscription(operation);
      const durationMs = Math.round(performance.now() - state.openedAt);
      logger.info({ transport: 'ws', socketId: state.id, ip: state.ip, code, reason: reason.slice(0, 120), durationMs, subscriptions: state.operations.size }, 'websocket disconnected');
    },
    started(socket, operation) {
      const state = sockets.get(socket);
      if (!state) return;
      state.operations.set(operation.id, { ...operation, startedAt: performance.now() });
      if (operation.operationType !== 'subscription') return;
      metrics.activeSubscriptions.inc({ field: operation.field ?? 'unknown' });
      logger.info(
        { transport: 'ws', socketId: state.id, requestId: operation.requestId, operationName: operation.operationName ?? null, field: operation.field, cost: operation.cost, userId: operation.userId ?? null },
        'websocket subscribed',
      );
    },
    finished(socket, id, errors) {
      const state = sockets.get(socket);
      const operation = state?.operations.get(id);
      state?.operations.delete(id);
      if (operation) endSubscription(operation);
      operations.observeOperation({
        transport: 'ws',
        requestId: operation?.requestId ?? `ws-refused-${id}`,
        operationName: operation?.operationName,
        operationType: operation?.operationType,
        durationMs: operation ? performance.now() - operation.startedAt : 0,
        cost: operation?.cost,
        userId: operation?.userId,
        errorCodes: (errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')),
      });
    },
    completed(socket, id) {
      const state = sockets.get(socket);
      const operation = state?.operations.get(id);
      if (!state || !operation) return;
      state.operations.delete(id);
      endSubscription(operation);
      if (operation.operationType === 'subscription') {
        logger.info({ transport: 'ws', socketId: state.id, requestId: operation.requestId, field: operation.field, durationMs: Math.round(performance.now() - operation.startedAt) }, 'websocket subscription ended');
      }
    },
    slowConsumer() {
      metrics.slowConsumerDisconnects.inc();
    },
    eventDropped(_socket, reason) {
      metrics.eventsDropped.inc({ reason });
    },
  };
}

/** One observer that tells each of `observers` everything, in order (metrics and log lines, the activity log, …). */
export function combineWebSocketObservers(...observers: Partial<WebSocketObserver>[]): WebSocketObserver {
  return {
    connected: (socket, ip, request) => observers.forEach((o) => o.connected?.(socket, ip, request)),
    disconnected: (socket, code, reason) => observers.forEach((o) => o.disconnected?.(socket, code, reason)),
    started: (socket, operation) => observers.forEach((o) => o.started?.(socket, operation)),
    finished: (socket, id, errors) => observers.forEach((o) => o.finished?.(socket, id, errors)),
    completed: (socket, id) => observers.forEach((o) => o.completed?.(socket, id)),
    slowConsumer: (socket) => observers.forEach((o) => o.slowConsumer?.(socket)),
    eventDropped: (socket, reason) => observers.forEach((o) => o.eventDropped?.(socket, reason)),
  };
}
