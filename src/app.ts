import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Cache } from './cache/cache.js';
import { MemoryCache } from './cache/memory-cache.js';
import { RedisCache } from './cache/redis-cache.js';
import { DEVELOPMENT_JWT_SECRET, type Config } from './config.js';
import { openStockDatabase, openUserDatabase, type Database, type DatabaseTarget, type StockClient, type UserClient } from './db/database.js';
import { migrate } from './db/migrator.js';
import { databaseTargets } from './db/targets.js';
import { connectionDrainer } from './http/drain.js';
import { ensureStockPricePartitions, upcomingPartitionWindow } from './db/partitions.js';
import { seedStockDb } from './db/seed/seed-stock-db.js';
import { createApolloServer } from './composition/apollo.js';
import { formatError } from './graphql/format-error.js';
import { guardRules } from './graphql/guards/index.js';
import { createContext, type Context } from './composition/context.js';
import { buildAppSchema } from './composition/schema.js';
import { applyCors, parseCorsOrigins } from './http/cors.js';
import { createGraphQLHandler } from './http/graphql-handler.js';
import { createHealthRoutes, databaseCheck, eventBusCheck, migrationsCheck, redisCheck, warmUpCheck } from './http/health.js';
import { countBusEvents, countCacheLookups, countProcessCaches, countRateLimitRejections, countRedisErrors, watchDatabase } from './observability/instrument.js';
import { createMetricsRoute, createMetricsServer } from './observability/metrics-endpoint.js';
import { createObservability, httpLabels, type Observability } from './observability/observability.js';
import { operationObserverPlugin } from './observability/operations.js';
import { requestScopeOf, runInRequestScope } from './observability/request-id.js';
import { createPlaygroundHandler } from './http/playground.js';
import { createLogger, type Logger } from './log.js';
import { AccessTokens } from './modules/auth/access-token.js';
import { AuthService, credentialsFromConnectionParams, credentialsFromHeaders } from './modules/auth/auth.service.js';
import { RateLimitedError } from './graphql/errors.js';
import { ApiKeyVerifier } from './modules/api-key/api-key.service.js';
import { clientIp } from './http/client-ip.js';
import { LoginThrottle, RateLimits, rateLimitPoints } from './ratelimit/rate-limits.js';
import { rateLimitPlugin } from './ratelimit/rate-limit-plugin.js';
import { RefreshTokens } from './modules/auth/refresh-tokens.js';
import { migrationsDir } from './paths.js';
import type { EventBus } from './realtime/event-bus.js';
import { MemoryEventBus } from './realtime/memory-event-bus.js';
import { attachGraphQLWebSocket } from './realtime/graphql-ws-server.js';
import { RedisEventBus } from './realtime/redis-event-bus.js';
import { publishPrice, toPriceEvent, type PriceEvent } from './modules/live/live.service.js';
import { createMarketDependencies } from './modules/market/backfill.service.js';
import { MemoryJobLock, RedisJobLock } from './jobs/job-lock.js';
import { marketJobs } from './jobs/market-jobs.js';
import { OrderFillService, type OrderFillFaults } from './modules/portfolio/order-fill.service.js';
import { portfolioJobs } from './jobs/portfolio-jobs.js';
import { Scheduler } from './jobs/scheduler.js';
import { connectRedis, type RedisClient } from './redis.js';
import { IndicatorHistory } from './modules/indicator/indicator-history.js';
import { createIndicatorCompute } from './workers/indicator-pool.js';
import { CircuitBreaker } from './cache/circuit-breaker.js';
import { createStockLoaders } from './modules/stock/stock.loaders.js';
import { StockRowCache } from './modules/stock/stock-row-cache.js';
import { withDefaultTimeouts } from './db/targets.js';
import { ActivityLog } from './modules/activity/activity-log.js';
import { activityPlugin, recordUnexpectedErrors } from './modules/activity/activity-plugin.js';
import { activityWebSocketObserver } from './modules/activity/activity-websocket.js';
import { combineWebSocketObservers } from './observability/websocket-observer.js';
import { ensureActivityPartitions } from './modules/activity/activity-retention.js';
import { activityJobs } from './jobs/activity-jobs.js';
import type { ResponseCache } from './cache/response-cache.js';
import { responseCachePlugin } from './cache/response-cache-plugin.js';
import { CatalogueCache } from './modules/screener/catalogue-cache.js';
import { cachedReads, observeRefusals, openResponseCache } from './composition/cached-reads.js';
import type { AuthState } from './graphql/auth.js';
import { createInsights, type InsightDependencies } from './composition/insights.js';
import { drainTickStream, openTickStream } from './modules/market/tick-stream.js';
import { createJobQueues } from './queues/create-queues.js';
import { gaugeQueueJobs } from './queues/queue-metrics.js';
import type { JobQueues } from './queues/job-queues.js';
import { QUEUE_NAMES, type QueueName } from './queues/queue-names.js';
import { enqueueing, isQueuedJob, observedHandler, wholeJob, type QueuedJob } from './queues/queued-jobs.js';

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly stockDb: Database<StockClient>;
  readonly userDb: Database<UserClient>;
  readonly cache: Cache;
  readonly bus: EventBus;
  readonly schema: GraphQLSchema;
  readonly apollo: ApolloServer<Context>;
  readonly server: Server;
  /** Caches a tick and pushes it to every subscriber (what the ingest job calls). */
  publishPrice(update: PriceEvent): Promise<void>;
  /** The scheduled jobs (quotes, indicators, retention); run() does a whole tick here and now, startJobs() queues them. */
  readonly jobs: readonly QueuedJob[];
  readonly scheduler: Scheduler;
  /** The paper-order matching engine's writer (the quotes job runs it after each batch of ticks). */
  readonly orderFills: OrderFillService;
  /** Stock rows shared by this process's requests (dropped over the bus when rows change). */
  readonly stockRows: StockRowCache;
  /** The filter catalogue and predefined screeners, shared the same way (CATALOGUE_CHANGED_TOPIC). */
  readonly catalogue: CatalogueCache;
  /** Whole answers of public queries (null when RESPONSE_CACHE=off). */
  readonly responseCache: ResponseCache | null;
  /** Request budgets (the HTTP plugin uses them; the websocket path should call consume() per operation). */
  readonly rateLimits: RateLimits;
  /** The activity log's batched writer (user actions, errors, warn+ logs, job runs); see src/modules/activity. */
  readonly activity: ActivityLog;
  /**
   * Starts the schedule in this process (main.ts when JOBS_ENABLED, and `npm run worker`): each tick enqueues
   * its jobs (once across processes), and this process consumes `queues` (default: all).
   */
  startJobs(queues?: readonly QueueName[]): void;
  /** The job queues (BullMQ with REDIS_URL, else in-process); see src/queues. */
  readonly queues: JobQueues;
  /** Keeps technical_indicator complete (the indicators job and backfills call it). */
  readonly indicatorHistory: IndicatorHistory;
  /** Long-lived insight services (strategies, alerts); see src/composition/insights.ts. */
  readonly insights: InsightDependencies;
  /** The start-up indicator run (INDICATOR_HISTORY_ON_START), null when off; resolves when it is done. */
  readonly startupIndicators: Promise<unknown> | null;
  /** Open graphql-ws connections. */
  websocketClients(): number;
  /** Metrics registry (GET /metrics) and operation observer: `observability.operations.observeOperation(record)`. */
  readonly observability: Observability;
  /** The METRICS_PORT listener's /metrics URL once listening; undefined when metrics share the API port. */
  metricsUrl(): string | undefined;
  /** `next` frames written straight to sockets by the bus's delivery loop so far (shared subscriptions' fast path). */
  websocketDirectFrames(): number;
  /** Starts listening on config.host:config.port (0 picks a free port); resolves with the GraphQL URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface AppOverrides {
  logger?: Logger;
  /** Tests hand in their own databases instead of the configured ones. */
  stockTarget?: DatabaseTarget;
  userTarget?: DatabaseTarget;
  /** Fault tests: hooks inside the paper-order fill transaction. */
  orderFillFaults?: OrderFillFaults;
}

async function prepareStockDatabase(db: Database<StockClient>, config: Config, logger: Logger): Promise<void> {
  const window = upcomingPartitionWindow();
  await ensureStockPricePartitions(db.sql, window.from, window.to);
  if (!config.seedOnStart) return;
  const [row] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM stock');
  if (Number(row?.n) > 0) return;
  logger.info('stock database is empty: seeding it (once)');
  const seeded = await seedStockDb(db.sql);
  logger.info(seeded, 'seeded the stock database');
}

interface Realtime {
  cache: Cache;
  bus: EventBus;
  redis?: RedisClient;
  close(): Promise<void>;
}

async function openRealtime(config: Config, logger: Logger): Promise<Realtime> {
  const topology = config.redis ?? (config.redisUrl ? { kind: 'single' as const, url: config.redisUrl } : undefined);
  if (!topology) {
    const cache = new MemoryCache();
    const bus = new MemoryEventBus(logger);
    return { cache, bus, close: async () => void (await Promise.all([cache.close(), bus.close()])) };
  }
  const redis = await connectRedis(topology, 'marketgraph', { commandTimeoutMs: config.redisCommandTimeoutMs });
  const subscriber = await connectRedis(topology, 'marketgraph-subscriber', { subscriber: true });
  if (topology.kind !== 'single') logger.info({ redis: topology.kind }, `Redis ${topology.kind === 'cluster' ? 'Cluster (sharded pub/sub)' : 'through Sentinel'}`);
  const bus = new RedisEventBus(redis, subscriber, logger, `${config.redisKeyPrefix}events:`);
  const cache = new RedisCache(redis, logger, `${config.redisKeyPrefix}cache:`, new CircuitBreaker(3, config.redisBreakerOpenMs));
  return {
    cache,
    bus,
    redis,
    async close() {
      await bus.close();
      redis.disconnect();
    },
  };
}

function logRateLimits(config: Config, logger: Logger): void {
  const limits = config.rateLimits;
  if (!limits.enabled) return logger.warn('RATE_LIMITS=off: no request budgets and no login throttling');
  const budgets = { anonymousPerHour: limits.anonymousPerHour, freePerHour: limits.freePerHour, proPerHour: limits.proPerHour, costUnit: limits.averageCost };
  if (limits.defaultsMultiplier !== 1) logger.info(budgets, `development: rate-limit defaults are ${limits.defaultsMultiplier}x the production ones`);
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const cleanups: (() => Promise<void>)[] = [];
  // One SHUTDOWN_GRACE_MS for the whole shutdown: each step that waits for running work gets what is left of it, so a
  // long start-up run (model training) cannot hold the drain, then the queues, then the scheduler a grace each and
  // outlast main.ts's forced exit (the smoke test's "SIGTERM stops the server cleanly" failed on that).
  let shutdownDeadline: number | null = null;
  const graceLeft = () => (shutdownDeadline === null ? config.shutdownGraceMs : Math.max(0, shutdownDeadline - Date.now()));
  const observability = createObservability(config.metrics, logger);
  const { metrics } = observability;
  try {
    // Redis first: it answers in milliseconds, while embedded databases take seconds to open.
    const realtime = await openRealtime(config, logger);
    cleanups.push(() => realtime.close());
    countCacheLookups(realtime.cache, metrics);
    countBusEvents(realtime.bus, metrics);
    if (realtime.redis) countRedisErrors(realtime.redis, metrics);
    const targets = databaseTargets(config);
    const stockDb = await openStockDatabase(withDefaultTimeouts(config, overrides.stockTarget ?? targets.stock), config.stockDatabaseReplicaUrls);
    if (stockDb.replicas > 0) logger.info({ replicas: stockDb.replicas }, 'stock-database reads go to read replicas');
    cleanups.push(() => stockDb.close());
    const userDb = await openUserDatabase(withDefaultTimeouts(config, overrides.userTarget ?? targets.user));
    cleanups.push(() => userDb.close());
    for (const db of [stockDb, userDb]) watchDatabase(db, metrics);
    if (config.migrateOnStart) {
      for (const db of [stockDb, userDb]) {
        const report = await migrate(db.sql, migrationsDir(db.name));
        if (report.applied.length > 0) logger.info({ database: db.name, applied: report.applied }, 'applied migrations');
      }
    }
    await prepareStockDatabase(stockDb, config, logger);
    await ensureActivityPartitions(userDb.sql);
    const activity = new ActivityLog(userDb.backgroundSql, config.activity, logger).start();
    // Closed after the servers (cleanups run in reverse), so the last requests' rows are written.
    cleanups.push(() => activity.close());
    if (realtime.bus instanceof RedisEventBus) {
      // After a bus outage each price subscriber gets the current quote again (cache, else the latest candle).
      realtime.bus.onResync(async (topic) => {
        if (!topic.startsWith('price:')) return undefined;
        const quote = await createStockLoaders(stockDb.prisma, stockDb.sql, realtime.cache).quoteBySymbol.load(topic.slice('price:'.length));
        return quote ? { ...toPriceEvent(quote), timestamp: new Date(quote.timestamp).toISOString() } : undefined;
      });
    }

    const schema = await buildAppSchema();
    const limitStore = { redis: realtime.redis, keyPrefix: config.redisKeyPrefix };
    const rateLimits = new RateLimits(config.rateLimits, limitStore);
    countRateLimitRejections(rateLimits, metrics);
    logRateLimits(config, logger);
    // One rule set object for both transports (src/graphql/guards).
    const guardRuleSet = guardRules(config.guards);
    const apollo = createApolloServer({
      schema,
      logger,
      guards: config.guards,
      rules: guardRuleSet,
      // Budgets are spent in cost units: the guard plugin's estimate, at least 1 (see rateLimitPoints).
      plugins: [
        operationObserverPlugin<Context>(observability.operations),
        rateLimitPlugin<Context>(rateLimits, { pointsOf: ({ contextValue }) => rateLimitPoints(contextValue.cost) }),
        activityPlugin(activity),
        ...(config.responseCache.enabled ? [responseCachePlugin<Context>()] : []),
      ],
    });
    await apollo.start();
    cleanups.push(() => apollo.stop());

    if (config.jwtSecret === DEVELOPMENT_JWT_SECRET && config.nodeEnv !== 'test') {
      logger.warn('JWT_SECRET is not set: using the development secret, so anyone can forge access tokens');
    }
    const apiKeyVerifier = new ApiKeyVerifier(userDb.prisma, (err) => logger.warn({ err }, 'could not record an API key use'));
    const auth = new AuthService(
      userDb.prisma,
      new AccessTokens(config.jwtSecret, config.accessTokenTtlSeconds),
      new RefreshTokens(userDb.prisma, config.refreshTokenTtlDays),
      config.passwordHashCost,
      apiKeyVerifier,
      new LoginThrottle(config.rateLimits, limitStore),
    );
    const market = createMarketDependencies(config, stockDb.sql);
    const tickStream = await openTickStream(config.tickStream, { redis: realtime.redis, logger, errors: metrics.tickStreamErrors });
    market.ingest.attachTickStream(tickStream);
    if (tickStream) cleanups.push(() => drainTickStream(market.ingest.tickStreamIdle(), tickStream));
    // Stock rows are read by nearly every query and change a few times a day: one cache per process, dropped over the bus.
    const stockRows = new StockRowCache();
    cleanups.push(await stockRows.listen(realtime.bus));
    // The filter catalogue and predefined screeners: a few dozen rows every screener answer needs, changed by the seed or an operator.
    const catalogue = new CatalogueCache(stockDb.prisma);
    cleanups.push(await catalogue.listen(realtime.bus));
    const contextDependencies = {
      stockDb: stockDb.prisma,
      userDb: userDb.prisma,
      stockSql: stockDb.sql,
      userSql: userDb.sql,
      auth,
      apiKeyVerifier,
      cache: realtime.cache,
      stockRows,
      catalogue,
      bus: realtime.bus,
      market,
      orderConfig: config.orders,
      analytics: config.analytics,
    };
    const jobLock = realtime.redis ? new RedisJobLock(realtime.redis, `${config.redisKeyPrefix}lock:`) : new MemoryJobLock();
    const scheduler = new Scheduler(jobLock, logger, metrics.observeJob);
    // Indicator history: computed in worker threads, kept complete by the indicators job and after backfills.
    const indicatorCompute = createIndicatorCompute(config.indicators.workers);
    cleanups.push(() => indicatorCompute.close());
    const indicatorHistory = new IndicatorHistory(stockDb.sql, indicatorCompute, { logger });
    market.afterDailyCandles = (affected) => indicatorHistory.recomputeFrom(affected);
    const stopping = new AbortController();
    const orderFills = new OrderFillService(userDb.prisma, stockDb.prisma, realtime.bus, config.orders, overrides.orderFillFaults, (err, orderId) =>
      logger.error({ err, orderId }, 'paper order fill failed; rolled back, retried on a later tick'),
    );
    const insights = await createInsights({ config, logger, stockDb, userDb, cache: realtime.cache, bus: realtime.bus, redis: realtime.redis, stockRows, scheduler, signal: stopping.signal });
    cleanups.push(() => insights.close());
    Object.assign(contextDependencies, { insights: insights.context });
    const jobs = marketJobs({ config, logger, market, stockDb: stockDb.prisma, cache: realtime.cache, bus: realtime.bus, indicatorHistory, orderFills, signal: stopping.signal }).concat(
      portfolioJobs({ userDb: userDb.prisma, stockDb: stockDb.prisma }),
      activityJobs({ userSql: userDb.sql, config: config.activity }),
      insights.jobs,
    ).map((job) => activity.observeJob(isQueuedJob(job) ? job : wholeJob(job)) as QueuedJob);
    // The schedule only enqueues; whichever process consumes a queue runs its jobs (src/queues).
    const queues = createJobQueues(config, jobs.flatMap((job) => job.handlers.map((handler) => observedHandler(handler, (run) => activity.observeJob(run)))), logger);
    cleanups.push(() => queues.close(graceLeft()));
    Object.assign(contextDependencies, { queues });
    gaugeQueueJobs(queues, metrics);
    cleanups.push(async () => {
      const left = delay(graceLeft());
      await Promise.race([scheduler.stop(), left.promise]);
      left.cancel();
    });
    // The seed's history (or whatever is missing) in the background, through the job so it runs once across processes;
    // meanwhile Stock.indicators is computed on demand.
    const startupIndicators = config.indicators.historyOnStart ? scheduler.tick(jobs.find((job) => job.name === 'indicators')!) : null;
    if (config.insightsOnStart) for (const warmUp of insights.warmUps) void warmUp.run().catch((err) => logger.error({ err, warmUp: warmUp.name }, 'start-up insight run failed; the schedule retries it'));
    const contextFor = async (req: IncomingMessage, known?: AuthState): Promise<Context> =>
      Object.assign(
        createContext(contextDependencies, requestScopeOf(req).requestId, known ?? (await auth.authenticate(credentialsFromHeaders(req.headers)))),
        { clientIp: clientIp(req, config.trustedProxies) },
      );
    // Whole answers of public queries, answered before Apollo (src/http/graphql-handler.ts; Caching in the README).
    const responseCache = await openResponseCache(config, realtime.bus, realtime.cache);
    if (responseCache) cleanups.push(() => responseCache.close());
    countProcessCaches(metrics, { stockRows, responseCache });
    const handleGraphQL = createGraphQLHandler(
      apollo,
      contextFor,
      config.guards,
      responseCache ? cachedReads(responseCache, auth, rateLimits, config, observability.operations) : undefined,
      observeRefusals(observability.operations),
    );

    const cors = parseCorsOrigins(config.corsOrigins);
    const handlePlayground = config.playgroundEnabled ? createPlaygroundHandler() : undefined;
    const bus = realtime.bus;
    const handleHealth = createHealthRoutes({
      health: [databaseCheck(stockDb), databaseCheck(userDb), redisCheck(realtime.redis)],
      readiness: [
        databaseCheck(stockDb),
        databaseCheck(userDb),
        redisCheck(realtime.redis),
        eventBusCheck(bus instanceof RedisEventBus ? bus : null),
        ...[stockDb, userDb].map((db) => migrationsCheck(db, migrationsDir(db.name), config.migrateOnStart)),
        warmUpCheck('indicatorWarmUp', startupIndicators),
      ],
      isDraining: () => drainer.draining,
    });
    const metricsServer = config.metrics.port === undefined ? undefined : createMetricsServer(metrics);
    const handleMetrics = metricsServer ? undefined : createMetricsRoute(metrics, config.metrics);
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const scope = requestScopeOf(req);
      res.setHeader('x-request-id', scope.requestId);
      res.once('finish', () => metrics.httpRequests.inc(httpLabels(req.method, url.pathname, res.statusCode)));
      return runInRequestScope(scope, () => serve(req, res, url));
    });
    const serve = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
      try {
        if (applyCors(cors, req, res)) return;
        if (handlePlayground && (await handlePlayground(req, res, url))) return;
        if (url.pathname === '/graphql') return await handleGraphQL(req, res, url);
        if (handleMetrics && url.pathname === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) return await handleMetrics(req, res);
        if (await handleHealth(req, res, url)) return;
        res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: `Nothing at ${url.pathname}; the API is at /graphql` }));
      } catch (error) {
        logger.error({ err: error, path: url.pathname }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
      }
    };

    const drainer = connectionDrainer(server);
    const websockets = attachGraphQLWebSocket({
      server,
      schema,
      logger,
      authenticate: (params) => auth.authenticate(credentialsFromConnectionParams(params)),
      isStillSignedIn: (viewer) => auth.isStillSignedIn(viewer),
      createContext: (authState, operationId, ip) => Object.assign(createContext(contextDependencies, operationId, authState), { clientIp: ip }),
      clientIp: (req) => clientIp(req, config.trustedProxies),
      // The same budgets as HTTP, spent per operation.
      beforeOperation: async ({ viewer, ip, cost }) => {
        const decision = await rateLimits.consume({ viewer, ip }, rateLimitPoints(cost));
        return decision.allowed ? undefined : new RateLimitedError(decision.resetSeconds);
      },
      formatError: formatError(logger),
      onExecutionErrors: (errors, context, operation) => recordUnexpectedErrors(activity, errors, context, `graphql-ws.${operation ?? 'operation'}`),
      guards: config.guards,
      rules: guardRuleSet,
      limits: config.websocket,
      // Websocket operations never run Apollo's plugins: the activity log hears of their mutations here.
      observer: combineWebSocketObservers(observability.websocket, activityWebSocketObserver(activity)),
    });

    let closing: Promise<void> | undefined;
    return {
      config,
      logger,
      stockDb,
      userDb,
      cache: realtime.cache,
      bus: realtime.bus,
      schema,
      apollo,
      server,
      publishPrice: (update) => publishPrice(realtime.bus, realtime.cache, update),
      jobs,
      scheduler,
      orderFills,
      stockRows,
      catalogue,
      responseCache,
      rateLimits,
      activity,
      queues,
      startJobs: (consume = QUEUE_NAMES) => {
        jobs.forEach((job) => scheduler.add(enqueueing(job, queues)));
        queues.consume(consume);
      },
      indicatorHistory,
      insights: insights.context,
      startupIndicators,
      websocketClients: () => websockets.clientCount(),
      observability,
      metricsUrl: () => {
        const address = metricsServer?.address() as AddressInfo | null | undefined;
        return address ? `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${address.port}/metrics` : undefined;
      },
      websocketDirectFrames: () => websockets.directFrames(),
      listen: () =>
        new Promise((resolveUrl, reject) => {
          server.once('error', reject);
          server.listen(config.port, config.host, () => {
            const { port } = server.address() as AddressInfo;
            const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
            if (!metricsServer) return resolveUrl(`http://${host}:${port}/graphql`);
            metricsServer.once('error', reject);
            metricsServer.listen(config.metrics.port, config.host, () => resolveUrl(`http://${host}:${port}/graphql`));
          });
        }),
      close() {
        closing ??= (async () => {
          // Stop accepting, let in-flight requests and a running job finish (bounded), then close the pools.
          // The indicator history is resumable, so a long run stops at its next slice instead of using up the grace.
          stopping.abort();
          shutdownDeadline = Date.now() + config.shutdownGraceMs;
          const grace = delay(config.shutdownGraceMs);
          await Promise.all([
            websockets.close(),
            drainer.drain(config.shutdownGraceMs),
            Promise.race([scheduler.stop(), grace.promise]),
            metricsServer?.listening ? new Promise((done) => (metricsServer.close(done), metricsServer.closeAllConnections())) : undefined,
          ]);
          grace.cancel();
          for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => logger.error({ err }, 'shutdown step failed'));
        })();
        return closing;
      },
    };
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    throw error;
  }
}

function delay(ms: number): { promise: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout;
  const promise = new Promise<void>((done) => (timer = setTimeout(done, ms)));
  return { promise, cancel: () => clearTimeout(timer) };
}
