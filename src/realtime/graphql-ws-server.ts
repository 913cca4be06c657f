import type { Server } from 'node:http';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AuthState } from '../graphql/auth.js';
import type { RequestContext } from '../graphql/request-context.js';
import type { Logger } from '../log.js';
import { AppCloseCode } from './close-codes.js';
import { jsonMessageReplacer, wrapSocketSend } from './serialize-once.js';
import { sharedSubscribe } from './shared-execution.js';

export interface WebSocketLimits {
  /** Active subscriptions one socket may hold; the next one gets a RATE_LIMITED error. @default 200 */
  maxSubscriptionsPerClient: number;
  /** Bytes queued for a socket that is not reading before it is closed with 4413. @default 1_048_576 */
  maxBufferedBytes: number;
  /** Time a client has to send connection_init before it is closed with 4408. @default 3_000 */
  connectionInitTimeoutMs: number;
  /** Largest message a client may send; bigger ones close the socket (1009). @default 65_536 */
  maxPayloadBytes: number;
}

export const DEFAULT_WEBSOCKET_LIMITS: WebSocketLimits = {
  maxSubscriptionsPerClient: 200,
  maxBufferedBytes: 1_048_576,
  connectionInitTimeoutMs: 3_000,
  maxPayloadBytes: 65_536,
};

export interface GraphQLWebSocketOptions {
  server: Server;
  schema: GraphQLSchema;
  logger: Logger;
  /** Checks the token a client sent in connection_init (as `authorization: "Bearer …"` or `accessToken`). */
  authenticate(authorizationHeader: string | undefined): Promise<AuthState>;
  /** A fresh context (loaders, services) per subscription operation. */
  createContext(auth: AuthState, operationId: string): RequestContext;
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  limits?: Partial<WebSocketLimits>;
}

/** How long a slow consumer has to take its close frame before the TCP connection is cut. */
const SLOW_CONSUMER_GRACE_MS = 1_000;

type ConnectionExtra = {
  auth?: AuthState;
};

function tokenHeader(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const authorization = params?.authorization ?? params?.Authorization;
  if (typeof authorization === 'string') return authorization;
  if (typeof params?.accessToken === 'string') return `Bearer ${params.accessToken}`;
  return undefined;
}

/**
 * graphql-ws on the HTTP server's /graphql path. Apart from the protocol
 * (which graphql-ws enforces: 4400, 4408, 4409, 4429), this adds auth in
 * connection_init (a bad token closes with 4403), a cap on subscriptions per
 * client, slow-consumer protection, and execution and serialisation once per
 * event of identical subscriptions.
 */
export function attachGraphQLWebSocket(options: GraphQLWebSocketOptions) {
  const limits = { ...DEFAULT_WEBSOCKET_LIMITS, ...options.limits };
  const wss = new WebSocketServer({ server: options.server, path: '/graphql', maxPayload: limits.maxPayloadBytes });
  // Registered before graphql-ws's own listener, so every message it sends goes through the wrapper.
  wss.on('connection', (socket) => wrapSocketSend(socket));
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => options.formatError(error.toJSON(), error));
  let operations = 0;

  /**
   * A client that stopped reading: graphql-ws waits for each send to complete,
   * so its subscriptions back up in their bounded queues (event-stream.ts)
   * rather than in memory; once one overflows, or the socket's own buffer
   * passes the limit, the client is closed.
   */
  function closeSlowConsumer(socket: WebSocket, why: string): void {
    if (socket.readyState !== socket.OPEN) return;
    options.logger.warn({ why }, 'closing a websocket that stopped reading');
    socket.close(AppCloseCode.SlowConsumer, 'Slow consumer: too many unread messages');
    // The close frame waits behind everything unread; a client that never reads
    // again would otherwise hold the socket until ws's 30 s close timeout.
    setTimeout(() => socket.terminate(), SLOW_CONSUMER_GRACE_MS).unref();
  }

  const disposable = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      schema: options.schema,
      connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
      subscribe: sharedSubscribe,
      jsonMessageReplacer,
      async onConnect(ctx) {
        const auth = await options.authenticate(tokenHeader(ctx.connectionParams));
        // A token that was sent but is not valid: refuse the connection (4403), as the protocol intends.
        if (auth.authError) return false;
        ctx.extra.auth = auth;
        return true;
      },
      context: (ctx, id) => ({
        ...options.createContext(ctx.extra.auth ?? { viewer: null }, `ws-${++operations}-${id}`),
        connection: { closeSlowConsumer: () => closeSlowConsumer(ctx.extra.socket, 'a subscription fell 1000 events behind') },
      }),
      onSubscribe(ctx) {
        // graphql-ws has already reserved this operation's id in ctx.subscriptions.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerClient) {
          return [
            new GraphQLError(`A connection may hold at most ${limits.maxSubscriptionsPerClient} subscriptions; complete some first`, {
              extensions: { code: 'RATE_LIMITED' },
            }),
          ];
        }
        return undefined;
      },
      onNext(ctx, _id, _payload, _args, result) {
        const socket = ctx.extra.socket;
        if (socket.bufferedAmount > limits.maxBufferedBytes) closeSlowConsumer(socket, `${socket.bufferedAmount} bytes unsent`);
        return result.errors ? { ...result, errors: format(result.errors) } : undefined;
      },
      // Parse and validation errors, and the ones onSubscribe returns: all meant for the client.
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((error) => options.formatError({ ...error.toJSON(), extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...error.extensions } }, error)),
    },
    wss,
  );

  return {
    clientCount: () => wss.clients.size,
    async close(): Promise<void> {
      for (const client of wss.clients) client.close(AppCloseCode.GoingAway, 'Server shutting down');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

