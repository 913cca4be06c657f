import { z } from 'zod';
import { parseTrustedProxies, type TrustedProxies } from './http/client-ip.js';
import type { GuardLimits } from './graphql/guards/limits.js';
import type { TickStreamConfig } from './modules/market/tick-stream.js';
import type { QueuePolicy } from './queues/job-queues.js';
import { parseConcurrency, queuePrefixFor } from './queues/queue-names.js';

const wholeNumber = (min: number, max: number, fallback: number) =>
  z.coerce.number({ message: 'expected a whole number' }).int().min(min).max(max).default(fallback);

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const postgresUrl = z
  .string()
  .url({ message: 'expected a postgres:// URL' })
  .refine((value) => /^postgres(ql)?:\/\//.test(value), { message: 'expected a postgres:// URL' });

const redisUrl = z
  .string()
  .url({ message: 'expected a redis:// URL' })
  .refine((value) => /^rediss?:\/\//.test(value), { message: 'expected a redis:// or rediss:// URL' });

const hostPortList = z
  .string()
  .regex(/^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/, { message: 'expected comma-separated host:port pairs like redis-1:6379,redis-2:6379' })
  .refine((value) => value.split(',').every((pair) => Number(pair.split(':')[1]) <= 65_535), { message: 'expected ports up to 65535' });

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65_535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STOCK_DATABASE_URL: postgresUrl.optional(),
  USER_DATABASE_URL: postgresUrl.optional(),
  REDIS_URL: redisUrl.optional(),
  REDIS_SENTINELS: hostPortList.optional(),
  REDIS_SENTINEL_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, { message: 'expected the master name the sentinels monitor' }).optional(),
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
  REDIS_CLUSTER_NODES: hostPortList.optional(),
  /** For REDIS_SENTINELS and REDIS_CLUSTER_NODES (with REDIS_URL the password is part of the URL). */
  REDIS_PASSWORD: z.string().min(1).optional(),
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,40}$/, { message: 'expected 1-40 of A-Z a-z 0-9 : _ -' }).default('mg:'),
  DATA_DIR: z.string().min(1).default('.data'),
  DB_POOL_MAX: z.coerce.number({ message: 'expected a whole number' }).int().min(1).max(500).default(10),
  SEED_ON_START: booleanFlag.default(true),
  MIGRATE_ON_START: booleanFlag.default(true),
  JOBS_ENABLED: booleanFlag.optional(),
  WS_MAX_SUBSCRIPTIONS: z.coerce.number({ message: 'expected a whole number' }).int().min(1).max(10_000).default(200),
  WS_MAX_BUFFERED_BYTES: z.coerce.number({ message: 'expected a whole number' }).int().min(1024).default(1_048_576),
  WS_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number({ message: 'expected a whole number' }).int().min(100).max(60_000).default(3_000),
  GRAPHQL_INTROSPECTION: booleanFlag.optional(),
  PLAYGROUND_ENABLED: booleanFlag.optional(),
  CORS_ORIGINS: z
    .string()
    .regex(/^(\*|https?:\/\/[^\s,]+)(\s*,\s*(\*|https?:\/\/[^\s,]+))*$/, { message: 'expected * or a comma-separated list of origins like https://app.example.com' })
    .optional(),
  JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number({ message: 'expected a whole number' }).int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number({ message: 'expected a whole number' }).int().min(1).max(365).default(30),
  PASSWORD_HASH_COST: z.coerce.number({ message: 'expected a whole number' }).int().min(12).max(20).default(15),
  // Query guards (guards helper): limits every operation passes on HTTP and websocket.
  GRAPHQL_MAX_DEPTH: wholeNumber(2, 50, 10),
  GRAPHQL_MAX_ALIASES: wholeNumber(0, 1_000, 15),
  GRAPHQL_MAX_DIRECTIVES: wholeNumber(0, 1_000, 50),
  GRAPHQL_MAX_TOKENS: wholeNumber(100, 100_000, 2_000),
  GRAPHQL_MAX_COST: wholeNumber(10, 10_000_000, 5_000),
  GRAPHQL_MAX_DOCUMENT_CHARS: wholeNumber(1_000, 1_000_000, 15_000),
  WS_MAX_SOCKETS_PER_IP: wholeNumber(1, 100_000, 50),
  WS_MAX_SOCKETS_PER_USER: wholeNumber(1, 100_000, 20),
  WS_MESSAGE_RATE: wholeNumber(1, 100_000, 50),
  WS_MESSAGE_BURST: wholeNumber(1, 100_000, 100),
  // End of query guards.
  MARKET_DATA_PROVIDER: z.enum(['simulated', 'yahoo', 'csv']).default('simulated'),
  YAHOO_BASE_URL: z
    .string()
    .url({ message: 'expected an http(s):// URL' })
    .refine((value) => /^https?:\/\//.test(value), { message: 'expected an http(s):// URL' })
    .default('https://query1.finance.yahoo.com'),
  MARKET_TICK_SECONDS: z.coerce.number({ message: 'expected a whole number' }).int().min(1).max(3_600).default(5),
  CSV_IMPORT_DIR: z.string().min(1).default('./data/imports'),
  // --- Portfolio analytics (issue 10, parts 9-11) ---
  RISK_FREE_RATE: z.coerce.number({ message: 'expected a number such as 0.04' }).min(-0.1).max(1).default(0.04),
  PORTFOLIO_VALUE_THROTTLE_MS: z.coerce.number({ message: 'expected a whole number' }).int().min(50).max(60_000).default(1_000),
  // --- Indicator history and worker threads (issue 9) ---
  INDICATOR_WORKERS: z.coerce.number({ message: 'expected a whole number' }).int().min(0).max(16).default(1),
  INDICATOR_HISTORY_ON_START: booleanFlag.optional(),
  INSIGHTS_ON_START: booleanFlag.optional(),
  // Rate limits, login throttling, trusted proxies (src/ratelimit, src/http/client-ip.ts)
  RATE_LIMITS: z.enum(['on', 'off'], { message: 'expected on or off' }).default('on'),
  RATE_LIMIT_ANONYMOUS_PER_HOUR: z.coerce.number({ message: 'expected a whole number' }).int().min(1).optional(),
  RATE_LIMIT_FREE_PER_HOUR: z.coerce.number({ message: 'expected a whole number' }).int().min(1).optional(),
  RATE_LIMIT_PRO_PER_HOUR: z.coerce.number({ message: 'expected a whole number' }).int().min(1).optional(),
  RATE_LIMIT_AVERAGE_COST: z.coerce.number({ message: 'expected a whole number' }).int().min(1).max(10_000).default(10),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number({ message: 'expected a whole number' }).int().min(1).optional(),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number({ message: 'expected a whole number' }).int().min(1).optional(),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number({ message: 'expected a whole number' }).int().min(1).max(86_400).default(900),
  TRUSTED_PROXIES: z.string().default(''),
  // --- response cache (src/cache/response-cache.ts) ---
  RESPONSE_CACHE: z.enum(['on', 'off'], { message: 'expected on or off' }).optional(),
  RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number({ message: 'expected a whole number' }).int().min(1).max(1_000_000).default(10_000),
  RESPONSE_CACHE_MAX_ENTRY_BYTES: z.coerce.number({ message: 'expected a whole number' }).int().min(1_024).max(10_000_000).default(262_144),
  RESPONSE_CACHE_MAX_BYTES: z.coerce.number({ message: 'expected a whole number' }).int().min(65_536).max(17_179_869_184).default(67_108_864),
  // --- faults and shutdown (timeouts, Redis breaker, graceful stop) ---
  DB_ACQUIRE_TIMEOUT_MS: z.coerce.number({ message: 'expected a whole number' }).int().min(100).max(60_000).default(2_000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number({ message: 'expected a whole number' }).int().min(100).max(600_000).default(5_000),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number({ message: 'expected a whole number' }).int().min(50).max(10_000).default(500),
  REDIS_BREAKER_OPEN_MS: z.coerce.number({ message: 'expected a whole number' }).int().min(100).max(60_000).default(3_000),
  SHUTDOWN_GRACE_MS: z.coerce.number({ message: 'expected a whole number' }).int().min(0).max(120_000).default(10_000),
  // --- paper orders (src/modules/portfolio/matching-engine.ts) ---
  ORDER_MARKET_MARGIN: z.coerce.number({ message: 'expected a number' }).min(0).max(1).default(0.05),
  ORDER_TICK_PARTICIPATION: z.coerce.number({ message: 'expected a number' }).gt(0).max(1).default(0.1),
  ORDER_SLIPPAGE_BASE_BPS: z.coerce.number({ message: 'expected a number' }).min(0).max(1_000).default(1),
  ORDER_SLIPPAGE_IMPACT_BPS: z.coerce.number({ message: 'expected a number' }).min(0).max(10_000).default(50),
  ORDER_SLIPPAGE_MAX_BPS: z.coerce.number({ message: 'expected a number' }).min(0).max(10_000).default(100),
  ORDER_COMMISSION_MODE: z.enum(['per_share', 'bps'], { message: 'expected per_share or bps' }).default('per_share'),
  ORDER_COMMISSION_PER_SHARE: z.coerce.number({ message: 'expected a number' }).min(0).max(100).default(0.005),
  ORDER_COMMISSION_BPS: z.coerce.number({ message: 'expected a number' }).min(0).max(1_000).default(5),
  ORDER_COMMISSION_MINIMUM: z.coerce.number({ message: 'expected a number' }).min(0).max(1_000).default(1),
  // --- activity log (src/modules/activity) ---
  ACTIVITY_LOG_ENABLED: booleanFlag.default(true),
  ACTIVITY_QUEUE_MAX: wholeNumber(1, 1_000_000, 10_000),
  ACTIVITY_FLUSH_MS: wholeNumber(10, 60_000, 1_000),
  ACTIVITY_FLUSH_ROWS: wholeNumber(1, 10_000, 500),
  ACTIVITY_SLOW_OPERATION_MS: wholeNumber(1, 600_000, 1_000),
  ACTIVITY_RETENTION_SYSTEM_DAYS: wholeNumber(1, 3_650, 30),
  ACTIVITY_RETENTION_PERFORMANCE_DAYS: wholeNumber(1, 3_650, 30),
  ACTIVITY_RETENTION_ERROR_DAYS: wholeNumber(1, 3_650, 90),
  ACTIVITY_RETENTION_USER_ACTION_DAYS: wholeNumber(1, 3_650, 90),
  // --- news (src/providers/news, src/modules/news) ---
  NEWS_PROVIDER: z.enum(['offline', 'rss', 'newsapi'], { message: 'expected offline, rss or newsapi' }).default('offline'),
  NEWS_FEEDS: z
    .string()
    .regex(/^https?:\/\/[^\s,]+(\s*,\s*https?:\/\/[^\s,]+)*$/, { message: 'expected a comma-separated list of http(s):// feed URLs' })
    .optional(),
  NEWS_API_KEY: z.string().min(1).optional(),
  NEWS_API_URL: z
    .string()
    .url({ message: 'expected an http(s):// URL' })
    .refine((value) => /^https?:\/\//.test(value), { message: 'expected an http(s):// URL' })
    .default('https://newsapi.org/v2'),
  // --- sentiment LLM adapter (src/providers/sentiment/llm-analyzer.ts) ---
  SENTIMENT_LLM_URL: z
    .string()
    .url({ message: 'expected an http(s):// URL' })
    .refine((value) => /^https?:\/\//.test(value), { message: 'expected an http(s):// URL' })
    .optional(),
  SENTIMENT_LLM_API_KEY: z.string().min(1).optional(),
  SENTIMENT_LLM_MODEL: z.string().min(1).max(200).optional(),
  SENTIMENT_LLM_TIMEOUT_MS: wholeNumber(100, 300_000, 15_000),
  // --- observability (src/observability) ---
  METRICS_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  METRICS_PORT: z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65_535).optional(),
  METRICS_MAX_OPERATION_NAMES: wholeNumber(1, 10_000, 100),
  // --- tick stream and read replicas (issue 14) ---
  TICK_STREAM: z.enum(['off', 'redis', 'nats'], { message: 'expected off, redis or nats' }).optional(),
  TICK_STREAM_MAXLEN: wholeNumber(1, 1_000_000_000, 100_000),
  NATS_URL: z.string().regex(/^(nats|tls):\/\/[^\s,]+(,(nats|tls):\/\/[^\s,]+)*$/, { message: 'expected nats://host:port' }).optional(),
  STOCK_DATABASE_REPLICA_URLS: z
    .string()
    .refine((value) => value.split(',').every((url) => postgresUrl.safeParse(url.trim()).success), { message: 'expected comma-separated postgres:// URLs' })
    .optional(),
  // --- job queues (src/queues) ---
  QUEUE_CONCURRENCY: z.string().optional(),
  QUEUE_ATTEMPTS: wholeNumber(1, 100, 3),
  QUEUE_BACKOFF_MS: wholeNumber(1, 3_600_000, 1_000),
  QUEUE_JOB_TIMEOUT_MS: wholeNumber(100, 86_400_000, 300_000),
  // --- predictions (issue 13 part 5; src/modules/prediction) ---
  PREDICTION_SYMBOLS: wholeNumber(1, 1_000, 50),
  PREDICTION_HISTORY_SESSIONS: wholeNumber(120, 5_000, 750),
  PREDICTION_FOLDS: wholeNumber(1, 20, 3),
  PREDICTION_WORKERS: wholeNumber(0, 16, 1),
  PREDICTION_TREES: wholeNumber(1, 500, 10),
  PREDICTION_LSTM_EPOCHS: wholeNumber(1, 500, 2),
  PREDICTION_MAX_SAMPLES: wholeNumber(50, 100_000, 500),
});

export type Environment = z.input<typeof environmentSchema>;

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  /** Absent: the stock database is embedded PGlite under `dataDir/stock`. */
  stockDatabaseUrl?: string;
  /** Absent: the user database is embedded PGlite under `dataDir/user`. */
  userDatabaseUrl?: string;
  /** REDIS_URL when Redis is one node; see `redis` for Sentinel and Cluster. */
  redisUrl?: string;
  /** Absent: cache and event bus live in this process. One node, a Sentinel-managed master, or a Cluster (src/redis.ts). */
  redis?: RedisTopology;
  /** Prepended to every Redis key and channel, so several deployments can share one Redis. */
  redisKeyPrefix: string;
  dataDir: string;
  dbPoolMax: number;
  seedOnStart: boolean;
  migrateOnStart: boolean;
  /** Run the scheduled jobs (quotes, indicators, retention) in this process. Default: on, except in tests. */
  jobsEnabled: boolean;
  /** Websocket limits; see src/realtime/graphql-ws-server.ts. */
  websocket: {
    maxSubscriptionsPerClient: number;
    maxBufferedBytes: number;
    connectionInitTimeoutMs: number;
    maxSocketsPerIp: number;
    maxSocketsPerUser: number;
    messageRatePerSecond: number;
    messageBurst: number;
  };
  introspection: boolean;
  /** Serve the GraphiQL playground to browsers at GET /graphql. Default: on, except in production. */
  playgroundEnabled: boolean;
  /** Query guards (src/graphql/guards): depth, aliases, directives, tokens, cost, size, introspection. */
  guards: GuardLimits;
  /** Browser origins allowed to call the API; `*` for any. */
  corsOrigins: string;
  /** HMAC key of access tokens; every API process must share it. */
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /** log2 of scrypt's N for new password hashes (15: 32 MiB, ~0.1 s). */
  passwordHashCost: number;
  /** Where live ticks come from: simulated (default), yahoo, or csv (backfill only: no live quotes). */
  marketDataProvider: 'simulated' | 'yahoo' | 'csv';
  /** Yahoo Finance chart API origin; tests point it at a local server. */
  yahooBaseUrl: string;
  /** Seconds between live ticks (at least 1). */
  marketTickSeconds: number;
  /** The only folder CSV backfills may read from (the backfill mutation's csvPath is relative to it). */
  csvImportDir: string;
  /** Annual risk-free rate for Sharpe and Sortino; the least gap between two portfolioValueUpdated pushes. */
  analytics: { riskFreeRate: number; valueThrottleMs: number };
  // --- faults and shutdown ---
  /** Longest wait for a free pooled connection (or a new one) before SERVICE_UNAVAILABLE. */
  dbAcquireTimeoutMs: number;
  /** statement_timeout on the server, and a client-side timeout just above it for a server that never answers. */
  dbStatementTimeoutMs: number;
  /** A Redis command that takes longer fails (and counts towards opening the cache's breaker). */
  redisCommandTimeoutMs: number;
  /** How long the cache's breaker stays open (answering misses at once) before one probe. */
  redisBreakerOpenMs: number;
  /** On SIGTERM, how long in-flight requests and a running job get to finish. */
  shutdownGraceMs: number;
  // --- Indicator history and worker threads (issue 9) ---
  /**
   * Worker threads that compute indicator histories (0: on the main thread, in
   * slices). historyOnStart: compute missing indicator history in the
   * background at start-up (default: as jobsEnabled).
   */
  indicators: { workers: number; historyOnStart: boolean };
  /** Run the insight warm-ups (first scan, offline news, default models) in the background at start. @default on, except NODE_ENV=test */
  insightsOnStart: boolean;
  /** Request budgets and login throttling; see src/ratelimit/rate-limits.ts. */
  rateLimits: RateLimitConfig;
  /** Peers whose X-Forwarded-For is believed (parsed TRUSTED_PROXIES). */
  trustedProxies: TrustedProxies;
  /** Whole answers of public queries kept between the ticks that change them; see src/cache/response-cache.ts. */
  responseCache: ResponseCacheConfig;
  /** Paper orders: reservations, liquidity, slippage and commission; see src/modules/portfolio/matching-engine.ts. */
  orders: OrderConfig;
  /** The activity log: batched writer and retention; see src/modules/activity. */
  activity: ActivityConfig;
  /** GET /metrics (Prometheus); see MetricsConfig. */
  metrics: MetricsConfig;
  /** Every stored tick appended for outside consumers (TICK_STREAM); see src/modules/market/tick-stream.ts. */
  tickStream: TickStreamConfig;
  /** STOCK_DATABASE_REPLICA_URLS: stock-database reads go to these streaming replicas (src/db/read-replicas.ts). */
  stockDatabaseReplicaUrls: string[];
  /** Where headlines come from; see src/providers/news. */
  news: NewsConfig;
  /** Job queues (BullMQ with REDIS_URL, else in-process): retries, backoff, timeout, concurrency, key prefix. */
  queues: QueueConfig;
  /** An OpenAI-compatible chat completions endpoint that scores headlines; absent: the lexicon analyzer. */
  sentimentLlm?: SentimentLlmConfig;
  /** Model training and predictions (PREDICTION_*); see src/modules/prediction and docs/PREDICTIONS.md. */
  predictions: PredictionConfig;
}

export interface QueueConfig extends QueuePolicy {
  /** Hash-tagged key prefix of every queue, from REDIS_KEY_PREFIX (`{mg:queues}`). */
  prefix: string;
}

export interface SentimentLlmConfig {
  /** SENTIMENT_LLM_URL: the endpoint, or its base (e.g. http://host/v1) to which /chat/completions is appended. */
  url: string;
  /** SENTIMENT_LLM_API_KEY: sent as a Bearer token when set. */
  apiKey?: string;
  /** SENTIMENT_LLM_MODEL: required with SENTIMENT_LLM_URL. */
  model: string;
  /** SENTIMENT_LLM_TIMEOUT_MS: one request at most; past it the batch falls back to the lexicon. @default 15000 */
  timeoutMs: number;
}

export interface PredictionConfig {
  /** The largest active stocks by market cap that are trained on and predicted. */
  symbols: number;
  /** Daily sessions of history per symbol, the latest. */
  historySessions: number;
  /** Walk-forward backtest folds. */
  folds: number;
  /** Worker threads training models (0: on the main thread). */
  workers: number;
  /** Trees per random forest (per horizon). */
  trees: number;
  /** LSTM training epochs. */
  lstmEpochs: number;
  /** Training rows per fit of the random forest (per horizon) and the LSTM, thinned evenly (forest growth is quadratic in them). */
  maxSamples: number;
}

export interface NewsConfig {
  /** NEWS_PROVIDER: offline (bundled headlines, the default), rss (NEWS_FEEDS) or newsapi (NEWS_API_KEY). */
  provider: 'offline' | 'rss' | 'newsapi';
  /** NEWS_FEEDS: RSS 2.0 or Atom URLs; required for rss. */
  feeds: string[];
  /** NEWS_API_KEY; required for newsapi. */
  apiKey?: string;
  /** NEWS_API_URL: a NewsAPI-compatible origin and path prefix. @default https://newsapi.org/v2 */
  apiUrl: string;
}

export interface ActivityConfig {
  /** Record user actions, unexpected errors, warn+ logs and job runs in the activity schema. @default true */
  enabled: boolean;
  /** Rows waiting to be written at most; past it the oldest are dropped (and counted). @default 10000 */
  queueMax: number;
  /** Milliseconds between flushes. @default 1000 */
  flushMs: number;
  /** A flush starts early once this many rows wait; it writes at most this many per statement batch. @default 500 */
  flushRows: number;
  /** An operation slower than this is written to performance_logs as `slow`. @default 1000 */
  slowOperationMs: number;
  /** Days each table is kept; trading_events are never dropped. @default system 30, performance 30, error 90, userAction 90 */
  retentionDays: { system: number; performance: number; error: number; userAction: number };
}

export interface MetricsConfig {
  /**
   * Bearer token /metrics on the API port requires (METRICS_TOKEN). Without one it is open in development and
   * test and refused (403) in production.
   * @default undefined
   */
  token?: string;
  /** Serve /metrics (open, no token) on this separate port instead of the API port (METRICS_PORT; 0 picks one). @default undefined */
  port?: number;
  /** Distinct operation names labelled before the rest share `(other)` (METRICS_MAX_OPERATION_NAMES). @default 100 */
  maxOperationNames: number;
  /** Whether /metrics on the API port answers without a token. @default true outside production */
  openWithoutToken: boolean;
}

export interface OrderConfig {
  /** A market or stop buy reserves last price × (1 + marketMargin) per share. */
  marketMargin: number;
  /** Fraction of a tick's volume (shares traded since the previous tick) that paper orders may take from it. */
  tickParticipation: number;
  /** Slippage in bps = baseBps + impactBps × sqrt(order quantity / average daily volume), at most maxBps. */
  slippage: { baseBps: number; impactBps: number; maxBps: number };
  /** per_share: perShare × shares; bps: bps of the notional; either way at least `minimum` per order. */
  commission: { mode: 'per_share' | 'bps'; perShare: number; bps: number; minimum: number };
}

export interface ResponseCacheConfig {
  /** RESPONSE_CACHE. @default true, false when NODE_ENV=test (tests that write rows behind the app's back turn it on themselves) */
  enabled: boolean;
  /** Answers kept per process (L1 LRU). @default 10_000 */
  maxEntries: number;
  /** Larger answers are never kept. @default 262_144 */
  maxEntryBytes: number;
  /** Bytes of keys and answers kept per process in all (L1). @default 67_108_864 */
  maxBytes: number;
}

export interface RateLimitConfig {
  enabled: boolean;
  /** Cost units per hour: requests per hour times averageCost. */
  anonymousPerHour: number;
  freePerHour: number;
  proPerHour: number;
  /** What a request of average cost consumes; a budget of N requests an hour holds N × averageCost units. */
  averageCost: number;
  /** Development multiplies every default by this (10); production and test use 1. */
  defaultsMultiplier: number;
  loginMaxFailuresPerAccount: number;
  loginMaxFailuresPerIp: number;
  loginFailureWindowSeconds: number;
}

/** Only for development and tests; production refuses to start without JWT_SECRET. */
export const DEVELOPMENT_JWT_SECRET = 'marketgraph-development-secret-do-not-use-in-production';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function rateLimitConfig(e: z.output<typeof environmentSchema>): RateLimitConfig {
  if (e.RATE_LIMITS === 'off' && e.NODE_ENV === 'production') {
    throw new ConfigError('Invalid environment variable RATE_LIMITS: off is refused when NODE_ENV=production');
  }
  const multiplier = e.NODE_ENV === 'development' ? 10 : 1;
  const requests = (given: number | undefined, fallback: number) => (given ?? fallback * multiplier);
  return {
    enabled: e.RATE_LIMITS === 'on',
    anonymousPerHour: requests(e.RATE_LIMIT_ANONYMOUS_PER_HOUR, 100) * e.RATE_LIMIT_AVERAGE_COST,
    freePerHour: requests(e.RATE_LIMIT_FREE_PER_HOUR, 1_000) * e.RATE_LIMIT_AVERAGE_COST,
    proPerHour: requests(e.RATE_LIMIT_PRO_PER_HOUR, 10_000) * e.RATE_LIMIT_AVERAGE_COST,
    averageCost: e.RATE_LIMIT_AVERAGE_COST,
    defaultsMultiplier: multiplier,
    loginMaxFailuresPerAccount: requests(e.LOGIN_MAX_FAILURES_PER_ACCOUNT, 10),
    loginMaxFailuresPerIp: requests(e.LOGIN_MAX_FAILURES_PER_IP, 100),
    loginFailureWindowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
  };
}

function newsConfig(e: z.output<typeof environmentSchema>): NewsConfig {
  const feeds = (e.NEWS_FEEDS ?? '').split(',').map((url) => url.trim()).filter(Boolean);
  if (e.NEWS_PROVIDER === 'rss' && feeds.length === 0) {
    throw new ConfigError('Invalid environment variable NEWS_FEEDS: required when NEWS_PROVIDER=rss (comma-separated feed URLs)');
  }
  if (e.NEWS_PROVIDER === 'newsapi' && !e.NEWS_API_KEY) {
    throw new ConfigError('Invalid environment variable NEWS_API_KEY: required when NEWS_PROVIDER=newsapi');
  }
  return { provider: e.NEWS_PROVIDER, feeds, apiKey: e.NEWS_API_KEY, apiUrl: e.NEWS_API_URL.replace(/\/+$/, '') };
}

function trustedProxiesOf(list: string): TrustedProxies {
  try {
    return parseTrustedProxies(list);
  } catch (error) {
    throw new ConfigError(`Invalid environment variable TRUSTED_PROXIES: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Reads the environment once. Empty strings count as unset, so a blank line in
 * .env does not switch a database to an invalid URL.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = issue.path.join('.');
    throw new ConfigError(`Invalid environment variable ${variable}: ${issue.message} (got ${JSON.stringify(present[variable])})`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('Invalid environment variable JWT_SECRET: required when NODE_ENV=production (at least 32 random characters)');
  }
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    stockDatabaseUrl: e.STOCK_DATABASE_URL,
    userDatabaseUrl: e.USER_DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redis: redisTopologyOf(e),
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    dataDir: e.DATA_DIR,
    dbPoolMax: e.DB_POOL_MAX,
    seedOnStart: e.SEED_ON_START,
    migrateOnStart: e.MIGRATE_ON_START,
    jobsEnabled: e.JOBS_ENABLED ?? e.NODE_ENV !== 'test',
    websocket: {
      maxSubscriptionsPerClient: e.WS_MAX_SUBSCRIPTIONS,
      maxBufferedBytes: e.WS_MAX_BUFFERED_BYTES,
      connectionInitTimeoutMs: e.WS_CONNECTION_INIT_TIMEOUT_MS,
      maxSocketsPerIp: e.WS_MAX_SOCKETS_PER_IP,
      maxSocketsPerUser: e.WS_MAX_SOCKETS_PER_USER,
      messageRatePerSecond: e.WS_MESSAGE_RATE,
      messageBurst: e.WS_MESSAGE_BURST,
    },
    introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    playgroundEnabled: e.PLAYGROUND_ENABLED ?? e.NODE_ENV !== 'production',
    guards: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxDirectives: e.GRAPHQL_MAX_DIRECTIVES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxCost: e.GRAPHQL_MAX_COST,
      maxDocumentChars: e.GRAPHQL_MAX_DOCUMENT_CHARS,
      introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    },
    // Development serves any origin (a Vite dev server on another port); production only those listed.
    corsOrigins: e.CORS_ORIGINS ?? (e.NODE_ENV === 'production' ? '' : '*'),
    jwtSecret: e.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    passwordHashCost: e.PASSWORD_HASH_COST,
    marketDataProvider: e.MARKET_DATA_PROVIDER,
    yahooBaseUrl: e.YAHOO_BASE_URL,
    marketTickSeconds: e.MARKET_TICK_SECONDS,
    csvImportDir: e.CSV_IMPORT_DIR,
    analytics: { riskFreeRate: e.RISK_FREE_RATE, valueThrottleMs: e.PORTFOLIO_VALUE_THROTTLE_MS },
    // --- Indicator history and worker threads (issue 9) ---
    indicators: { workers: e.INDICATOR_WORKERS, historyOnStart: e.INDICATOR_HISTORY_ON_START ?? e.JOBS_ENABLED ?? e.NODE_ENV !== 'test' },
    insightsOnStart: e.INSIGHTS_ON_START ?? e.JOBS_ENABLED ?? e.NODE_ENV !== 'test',
    rateLimits: rateLimitConfig(e),
    trustedProxies: trustedProxiesOf(e.TRUSTED_PROXIES),
    responseCache: {
      enabled: (e.RESPONSE_CACHE ?? (e.NODE_ENV === 'test' ? 'off' : 'on')) === 'on',
      maxEntries: e.RESPONSE_CACHE_MAX_ENTRIES,
      maxEntryBytes: e.RESPONSE_CACHE_MAX_ENTRY_BYTES,
      maxBytes: e.RESPONSE_CACHE_MAX_BYTES,
    },
    dbAcquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS,
    dbStatementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    redisBreakerOpenMs: e.REDIS_BREAKER_OPEN_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    orders: {
      marketMargin: e.ORDER_MARKET_MARGIN,
      tickParticipation: e.ORDER_TICK_PARTICIPATION,
      slippage: { baseBps: e.ORDER_SLIPPAGE_BASE_BPS, impactBps: e.ORDER_SLIPPAGE_IMPACT_BPS, maxBps: e.ORDER_SLIPPAGE_MAX_BPS },
      commission: {
        mode: e.ORDER_COMMISSION_MODE,
        perShare: e.ORDER_COMMISSION_PER_SHARE,
        bps: e.ORDER_COMMISSION_BPS,
        minimum: e.ORDER_COMMISSION_MINIMUM,
      },
    },
    activity: {
      enabled: e.ACTIVITY_LOG_ENABLED,
      queueMax: e.ACTIVITY_QUEUE_MAX,
      flushMs: e.ACTIVITY_FLUSH_MS,
      flushRows: e.ACTIVITY_FLUSH_ROWS,
      slowOperationMs: e.ACTIVITY_SLOW_OPERATION_MS,
      retentionDays: {
        system: e.ACTIVITY_RETENTION_SYSTEM_DAYS,
        performance: e.ACTIVITY_RETENTION_PERFORMANCE_DAYS,
        error: e.ACTIVITY_RETENTION_ERROR_DAYS,
        userAction: e.ACTIVITY_RETENTION_USER_ACTION_DAYS,
      },
    },
    metrics: {
      token: e.METRICS_TOKEN,
      port: e.METRICS_PORT,
      maxOperationNames: e.METRICS_MAX_OPERATION_NAMES,
      openWithoutToken: e.NODE_ENV !== 'production',
    },
    tickStream: tickStreamConfig(e),
    stockDatabaseReplicaUrls: (e.STOCK_DATABASE_REPLICA_URLS ?? '').split(',').map((url) => url.trim()).filter(Boolean),
    news: newsConfig(e),
    queues: queueConfig(e),
    sentimentLlm: sentimentLlmConfig(e),
    predictions: {
      symbols: e.PREDICTION_SYMBOLS,
      historySessions: e.PREDICTION_HISTORY_SESSIONS,
      folds: e.PREDICTION_FOLDS,
      workers: e.PREDICTION_WORKERS,
      trees: e.PREDICTION_TREES,
      lstmEpochs: e.PREDICTION_LSTM_EPOCHS,
      maxSamples: e.PREDICTION_MAX_SAMPLES,
    },
  };
}

function queueConfig(e: z.output<typeof environmentSchema>): QueueConfig {
  try {
    const concurrency = parseConcurrency(e.QUEUE_CONCURRENCY);
    return { attempts: e.QUEUE_ATTEMPTS, backoffMs: e.QUEUE_BACKOFF_MS, timeoutMs: e.QUEUE_JOB_TIMEOUT_MS, concurrency, prefix: queuePrefixFor(e.REDIS_KEY_PREFIX) };
  } catch (error) {
    throw new ConfigError(`Invalid environment variable QUEUE_CONCURRENCY: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function sentimentLlmConfig(e: z.output<typeof environmentSchema>): SentimentLlmConfig | undefined {
  if (!e.SENTIMENT_LLM_URL) {
    if (e.SENTIMENT_LLM_MODEL || e.SENTIMENT_LLM_API_KEY) {
      throw new ConfigError('Invalid environment variable SENTIMENT_LLM_URL: required when SENTIMENT_LLM_MODEL or SENTIMENT_LLM_API_KEY is set');
    }
    return undefined;
  }
  if (!e.SENTIMENT_LLM_MODEL) throw new ConfigError('Invalid environment variable SENTIMENT_LLM_MODEL: required when SENTIMENT_LLM_URL is set');
  const base = e.SENTIMENT_LLM_URL.replace(/\/+$/, '');
  const url = base.endsWith('/chat/completions') ? base : `${base}/chat/completions`;
  return { url, apiKey: e.SENTIMENT_LLM_API_KEY, model: e.SENTIMENT_LLM_MODEL, timeoutMs: e.SENTIMENT_LLM_TIMEOUT_MS };
}

function tickStreamConfig(e: z.output<typeof environmentSchema>): TickStreamConfig {
  const hasRedis = Boolean(e.REDIS_URL ?? e.REDIS_SENTINELS ?? e.REDIS_CLUSTER_NODES);
  const mode = e.TICK_STREAM ?? (hasRedis ? 'redis' : 'off');
  if (mode === 'redis' && !hasRedis) throw new ConfigError('Invalid environment variable TICK_STREAM: redis needs REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES');
  if (mode === 'nats' && !e.NATS_URL) throw new ConfigError('Invalid environment variable TICK_STREAM: nats needs NATS_URL');
  const name = e.REDIS_KEY_PREFIX.replace(/[^A-Za-z0-9_-]/g, '_').replace(/_+$/, '') || 'mg';
  return { mode, redisKey: `${e.REDIS_KEY_PREFIX}ticks`, maxLen: e.TICK_STREAM_MAXLEN, natsUrl: e.NATS_URL, natsStream: `TICKS_${name}`, natsSubjectPrefix: 'ticks' };
}

export interface RedisNode {
  host: string;
  port: number;
}

/** Where Redis is: one node (REDIS_URL), a master found through Sentinel, or a Cluster. */
export type RedisTopology =
  | { kind: 'single'; url: string }
  | { kind: 'sentinel'; sentinels: RedisNode[]; name: string; password?: string; sentinelPassword?: string }
  | { kind: 'cluster'; nodes: RedisNode[]; password?: string };

function redisNodesOf(list: string): RedisNode[] {
  return list.split(',').map((pair) => {
    const [host, port] = pair.trim().split(':') as [string, string];
    return { host, port: Number(port) };
  });
}

function redisTopologyOf(e: z.output<typeof environmentSchema>): RedisTopology | undefined {
  const given = (['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const).filter((name) => e[name] !== undefined);
  if (given.length > 1) throw new ConfigError(`Invalid environment variable ${given[1]}: set only one of REDIS_URL, REDIS_SENTINELS, REDIS_CLUSTER_NODES (got ${given.join(' and ')})`);
  if (e.REDIS_SENTINELS && !e.REDIS_SENTINEL_NAME) {
    throw new ConfigError('Invalid environment variable REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the master name the sentinels monitor)');
  }
  if (e.REDIS_SENTINEL_NAME && !e.REDIS_SENTINELS) throw new ConfigError('Invalid environment variable REDIS_SENTINEL_NAME: only meaningful with REDIS_SENTINELS');
  if (e.REDIS_URL) return { kind: 'single', url: e.REDIS_URL };
  if (e.REDIS_SENTINELS) {
    return { kind: 'sentinel', sentinels: redisNodesOf(e.REDIS_SENTINELS), name: e.REDIS_SENTINEL_NAME!, password: e.REDIS_PASSWORD, sentinelPassword: e.REDIS_SENTINEL_PASSWORD };
  }
  if (e.REDIS_CLUSTER_NODES) return { kind: 'cluster', nodes: redisNodesOf(e.REDIS_CLUSTER_NODES), password: e.REDIS_PASSWORD };
  return undefined;
}
