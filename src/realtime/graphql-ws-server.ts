import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, getOperationAST, type DocumentNode, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AuthState, Viewer } from '../graphql/auth.js';
import { DEFAULT_GUARD_LIMITS, validateOperation, type GuardLimits } from '../graphql/guards/index.js';
import type { RequestContext } from '../graphql/request-context.js';
import type { Logger } from '../log.js';
import { runInRequestScope } from '../observability/request-id.js';
import type { WebSocketObserver } from '../observability/websocket-observer.js';
import { AppCloseCode } from './close-codes.js';
import { jsonMessageReplacer, wrapSocketSend } from './serialize-once.js';
import { sharedSubscribe, type DirectChannel } from './shared-execution.js';
import { SocketCounter, TokenBucket } from './socket-guards.js';

export interface WebSocketLimits {
  /** Active subscriptions one socket may hold; the next one gets a RATE_LIMITED error. @default 200 */
  maxSubscriptionsPerClient: number;
  /** Bytes queued for a socket that is not reading before it is closed with 4413. @default 1_048_576 */
  maxBufferedBytes: number;
  /** Time a client has to send connection_init before it is closed with 4408. @default 3_000 */
  connectionInitTimeoutMs: number;
  /** Largest message a client may send; bigger ones close the socket (1009). @default 65_536 */
  maxPayloadBytes: number;
  /** Open sockets per client IP in this process; the next is closed with 4430. @default 50 */
  maxSocketsPerIp: number;
  /** Open sockets per account in this process; the next is closed with 4430. @default 20 */
  maxSocketsPerUser: number;
  /** Messages per second a socket may send on average; beyond the burst it is closed with 4429. @default 50 */
  messageRatePerSecond: number;
  /** @default 100 */
  messageBurst: number;
}

export const DEFAULT_WEBSOCKET_LIMITS: WebSocketLimits = {
  maxSubscriptionsPerClient: 200,
  maxBufferedBytes: 1_048_576,
  connectionInitTimeoutMs: 3_000,
  maxPayloadBytes: 65_536,
  maxSocketsPerIp: 50,
  maxSocketsPerUser: 20,
  messageRatePerSecond: 50,
  messageBurst: 100,
};

export interface OperationGate {
  viewer: Viewer | null;
  ip: string;
  cost: { requested: number; limit: number };
}

export interface GraphQLWebSocketOptions {
  server: Server;
  schema: GraphQLSchema;
  logger: Logger;
  /** Checks the credentials a client sent as connection_init's payload (a bearer token or an API key). */
  authenticate(connectionParams: Readonly<Record<string, unknown>> | undefined): Promise<AuthState>;
  /**
   * Asked before every operation of a signed-in socket: false when its sign-in
   * has ended since connection_init (logout, refresh-token replay). The
   * operation then gets UNAUTHENTICATED and the socket is closed with 4403.
   * @default always true
   */
  isStillSignedIn?(viewer: Viewer): Promise<boolean>;
  /** A fresh context (loaders, services) per operation, for a client at `ip`. */
  createContext(auth: AuthState, operationId: string, ip: string): RequestContext;
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  /** Sees each result's errors, with the operation's context, before they are formatted (the activity log). @default none */
  onExecutionErrors?(errors: readonly GraphQLError[], context: RequestContext, operation: 'query' | 'mutation' | 'subscription' | undefined): void;
  /** The same limits and rule set object Apollo validates HTTP operations with. */
  guards?: GuardLimits;
  rules?: readonly ValidationRule[];
  /** The client's address; the integrator passes the trusted-proxy aware one. @default req.socket.remoteAddress */
  clientIp?(req: IncomingMessage): string;
  /** Runs after validation and cost, before each operation (the rate limiter); an error refuses the operation. */
  beforeOperation?(ctx: OperationGate): Promise<GraphQLError | undefined>;
  limits?: Partial<WebSocketLimits>;
  /** Told of every socket and operation: the log lines and metrics of src/observability. @default none */
  observer?: WebSocketObserver;
}

/** How long a slow consumer has to take its close frame before the TCP connection is cut. */
const SLOW_CONSUMER_GRACE_MS = 1_000;
/** setTimeout's largest delay; tokens live at most a day, so this only guards against bad clocks. */
const MAX_TIMER_MS = 2_147_483_647;

type ConnectionExtra = {
  auth?: AuthState;
  ip: string;
  /** Epoch ms at which the socket's access token expires. */
  expiresAt?: number;
  release: (() => void)[];
};

/** Name, type and (for a subscription) root field of the operation a socket starts. */
function describeOperation(document: DocumentNode, operationName: string | null | undefined) {
  const operation = getOperationAST(document, operationName);
  const root = operation?.selectionSet.selections[0];
  return {
    operationName: operation?.name?.value,
    operationType: operation?.operation,
    rootFields: (operation?.selectionSet.selections ?? []).flatMap((selection) => (selection.kind === 'Field' ? [selection.name.value] : [])),
    field: operation?.operation === 'subscription' && root?.kind === 'Field' ? root.name.value : undefined,
  };
}

/** UNAUTHENTICATED for an operation on a socket whose token has expired; undefined while it is valid. */
export function expiredTokenError(expiresAt: number | undefined, now = Date.now()): GraphQLError | undefined {
  if (expiresAt === undefined || now < expiresAt) return undefined;
  return new GraphQLError('Access token has expired: reconnect with a fresh token (connectionParams)', { extensions: { code: 'UNAUTHENTICATED' } });
}

/**
 * graphql-ws on the HTTP server's /graphql path. Apart from the protocol
 * (which graphql-ws enforces: 4400, 4408, 4409, 4429 on a second init), this
 * adds: auth in connection_init (a bad token closes with 4403) and at every
 * operation (an expired token gets UNAUTHENTICATED, and the socket is closed
 * with 4403 when it expires); the same validation, cost and introspection
 * policy as HTTP; caps on sockets per IP and per account (4430) and on
 * messages per socket (4429); a cap on subscriptions per client;
 * slow-consumer protection; execution and serialisation once per event of
 * identical subscriptions, whose `next` frames the bus's delivery loop then
 * writes straight to each socket (shared-execution.ts).
 *
 * Queries and mutations are served too, with the same auth and rules as
 * over HTTP: Apollo Client setups that route every operation over the
 * socket would otherwise break, and a rule that holds on both transports
 * leaves nothing to gain by switching.
 */
export function attachGraphQLWebSocket(options: GraphQLWebSocketOptions) {
  const limits = { ...DEFAULT_WEBSOCKET_LIMITS, ...options.limits };
  const guards = options.guards ?? DEFAULT_GUARD_LIMITS;
  const rules = options.rules ?? [];
  const clientIp = options.clientIp ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');
  const perIp = new SocketCounter(limits.maxSocketsPerIp);
  const perUser = new SocketCounter(limits.maxSocketsPerUser);
  const extras = new WeakMap<WebSocket, ConnectionExtra>();
  const wss = new WebSocketServer({ server: options.server, path: '/graphql', maxPayload: limits.maxPayloadBytes });

  // Registered before graphql-ws's own listener: it sees every message first, and wraps every send.
  wss.on('connection', (socket, req) => {
    wrapSocketSend(socket);
    const ip = clientIp(req);
    const extra: ConnectionExtra = { ip, release: [] };
    extras.set(socket, extra);
    options.observer?.connected(socket, ip, req);
    socket.once('close', (code, reason) => {
      extra.release.splice(0).forEach((release) => release());
      options.observer?.disconnected(socket, code, reason.toString());
    });
    if (!perIp.acquire(ip)) {
      socket.close(AppCloseCode.TooManySockets, `At most ${limits.maxSocketsPerIp} sockets per client address`);
      return;
    }
    extra.release.push(() => perIp.release(ip));
    const bucket = new TokenBucket(limits.messageRatePerSecond, limits.messageBurst);
    socket.on('message', () => {
      if (bucket.take() || socket.readyState !== socket.OPEN) return;
      options.logger.warn({ ip }, 'closing a websocket that sent too many messages');
      socket.close(AppCloseCode.TooManyMessages, `More than ${limits.messageRatePerSecond} messages per second`);
    });
  });
  /** Contexts of operations answered with one result (queries, mutations, a refused subscription) rather than a stream. */
  const singleResults = new WeakSet<object>();
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => options.formatError(error.toJSON(), error));
  let operations = 0;

  function closeSlowConsumer(socket: WebSocket, why: string): void {
    if (socket.readyState !== socket.OPEN) return;
    options.logger.warn({ why }, 'closing a websocket that stopped reading');
    options.observer?.slowConsumer(socket);
    socket.close(AppCloseCode.SlowConsumer, 'Slow consumer: too many unread messages');
    // The close frame waits behind everything unread; a client that never reads
    // again would otherwise hold the socket until ws's 30 s close timeout.
    setTimeout(() => socket.terminate(), SLOW_CONSUMER_GRACE_MS).unref();
  }

  /**
   * The socket a subscription's frames may be written to directly (see sharedSubscribe), by its context.
   * Nothing is sent to a socket that is not open (as graphql-ws's own send); one that has stopped reading
   * is closed instead, as onNext does on graphql-ws's path.
   */
  const channels = new WeakMap<object, DirectChannel>();
  let directFrames = 0;
  function directChannel(socket: WebSocket, id: string): DirectChannel {
    return {
      id,
      send(frame) {
        if (socket.readyState !== socket.OPEN) {
          options.observer?.eventDropped(socket, 'socket_closed');
          return true;
        }
        if (socket.bufferedAmount > limits.maxBufferedBytes) {
          closeSlowConsumer(socket, `${socket.bufferedAmount} bytes unsent`);
          options.observer?.eventDropped(socket, 'socket_buffer_full');
          return true;
        }
        socket.send(frame);
        directFrames += 1;
        return true;
      },
    };
  }

  const disposable = useServer<Record<string, unknown>, { socket: WebSocket; request: IncomingMessage }>(
    {
      schema: options.schema,
      connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
      subscribe: (args) => sharedSubscribe(args, channels.get(args.contextValue as object)),
      jsonMessageReplacer,
      async onConnect(ctx) {
        const socket = ctx.extra.socket;
        const extra = extras.get(socket);
        if (!extra || socket.readyState !== socket.OPEN) return false;
        const auth = await options.authenticate(ctx.connectionParams);
        // A token that was sent but is not valid: refuse the connection (4403), as the protocol intends.
        if (auth.authError) return false;
        if (auth.viewer) {
          const accountId = auth.viewer.accountId;
          if (!perUser.acquire(accountId)) {
            socket.close(AppCloseCode.TooManySockets, `At most ${limits.maxSocketsPerUser} sockets per account`);
            return false;
          }
          extra.release.push(() => perUser.release(accountId));
          // API keys do not expire; a bearer token closes the socket when it does.
          extra.expiresAt = auth.expiresAt;
          if (extra.expiresAt !== undefined) {
            const timer = setTimeout(
              () => socket.close(AppCloseCode.TokenExpired, 'Access token expired: reconnect with a fresh one'),
              Math.min(Math.max(extra.expiresAt - Date.now(), 0), MAX_TIMER_MS),
            );
            timer.unref();
            extra.release.push(() => clearTimeout(timer));
          }
        }
        extra.auth = auth;
        return true;
      },
      async onSubscribe(ctx, id, payload) {
        const extra = extras.get(ctx.extra.socket);
        const auth = extra?.auth ?? { viewer: null };
        const expired = expiredTokenError(extra?.expiresAt);
        if (expired) return [expired];
        if (auth.viewer && options.isStillSignedIn && !(await options.isStillSignedIn(auth.viewer))) {
          const socket = ctx.extra.socket;
          // After the error message, so the client learns why before the close.
          setImmediate(() => socket.close(AppCloseCode.TokenExpired, 'Signed out: reconnect with a fresh token'));
          return [new GraphQLError('This sign-in has ended (signed out): sign in again and reconnect', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        // graphql-ws has already reserved this operation's id in ctx.subscriptions.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerClient) {
          return [
            new GraphQLError(`A connection may hold at most ${limits.maxSubscriptionsPerClient} subscriptions; complete some first`, {
              extensions: { code: 'RATE_LIMITED' },
            }),
          ];
        }
        const checked = validateOperation(options.schema, rules, guards, payload);
        if (!('document' in checked)) return [...checked];
        const requestId = `ws-${++operations}-${id}`;
        const described = describeOperation(checked.document, payload.operationName);
        const refused = await options.beforeOperation?.({ viewer: auth.viewer, ip: extra?.ip ?? 'unknown', cost: checked.cost });
        if (refused) {
          // Refused by its budget after it was understood: a query or mutation is observed as over HTTP (a user
          // action with status RATE_LIMITED); onError's finished follows. A subscription never started.
          if (described.operationType !== 'subscription') {
            options.observer?.started(ctx.extra.socket, { id, requestId, cost: checked.cost.requested, userId: auth.viewer?.accountId, context: { ...auth, requestId }, ...described });
          }
          return [refused];
        }
        const contextValue: RequestContext = {
          ...options.createContext(auth, requestId, extra?.ip ?? 'unknown'),
          cost: checked.cost,
          connection: {
            closeSlowConsumer: () => closeSlowConsumer(ctx.extra.socket, 'a subscription fell 1000 events behind'),
            eventDropped: () => options.observer?.eventDropped(ctx.extra.socket, 'queue_full'),
          },
        };
        options.observer?.started(ctx.extra.socket, { id, requestId: contextValue.requestId, cost: checked.cost.requested, userId: auth.viewer?.accountId, context: contextValue, ...described });
        channels.set(contextValue, directChannel(ctx.extra.socket, id));
        return {
          schema: options.schema,
          document: checked.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
      },
      onOperation(_ctx, _id, _payload, args, result) {
        if (Symbol.asyncIterator in result) return undefined;
        // Its one result goes through onNext, which tells the observer once the errors are formatted.
        singleResults.add(args.contextValue as object);
        const operation = getOperationAST(args.document, args.operationName);
        if (operation?.operation === 'subscription') return undefined;
        const cost = (args.contextValue as RequestContext).cost;
        const single = result as ExecutionResult;
        return { ...single, extensions: { ...single.extensions, cost } };
      },
      onComplete: (ctx, id) => options.observer?.completed(ctx.extra.socket, id),
      onNext(ctx, id, _payload, args, result) {
        const socket = ctx.extra.socket;
        const context = args.contextValue as RequestContext;
        const single = singleResults.has(context);
        if (socket.bufferedAmount > limits.maxBufferedBytes) {
          closeSlowConsumer(socket, `${socket.bufferedAmount} bytes unsent`);
          if (!single) options.observer?.eventDropped(socket, 'socket_buffer_full');
        } else if (!single && socket.readyState !== socket.OPEN) options.observer?.eventDropped(socket, 'socket_closed');
        if (!result.errors) {
          if (single) options.observer?.finished(socket, id, undefined);
          return undefined;
        }
        options.onExecutionErrors?.(result.errors, context, getOperationAST(args.document, args.operationName)?.operation);
        const requestId = context.requestId;
        // In the operation's log scope: the "unexpected error" line formatError writes names the request.
        const errors = runInRequestScope({ requestId }, () => format(result.errors!));
        // The codes the client gets (a database outage is SERVICE_UNAVAILABLE, not the raw error's missing code).
        if (single) options.observer?.finished(socket, id, errors);
        return { ...result, errors: errors.map((error) => ({ ...error, extensions: { ...error.extensions, requestId } })) };
      },
      // Parse and validation errors, and the ones onSubscribe returns: all meant for the client.
      onError: (ctx, id, _payload, errors) => {
        const formatted = errors.map((error) => options.formatError({ ...error.toJSON(), extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...error.extensions } }, error));
        options.observer?.finished(ctx.extra.socket, id, formatted);
        return formatted;
      },
    },
    wss,
  );

  return {
    clientCount: () => wss.clients.size,
    /** `next` frames written straight to sockets by the bus's delivery loop so far (the rest went through graphql-ws). */
    directFrames: () => directFrames,
    async close(): Promise<void> {
      for (const client of wss.clients) client.close(AppCloseCode.GoingAway, 'Server shutting down');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
