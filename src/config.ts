import { z } from 'zod';

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

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65_535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STOCK_DATABASE_URL: postgresUrl.optional(),
  USER_DATABASE_URL: postgresUrl.optional(),
  REDIS_URL: redisUrl.optional(),
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
  GRAPHQL_MAX_DEPTH: z.coerce.number({ message: 'expected a whole number' }).int().min(2).max(50).default(12),
  MARKET_DATA_PROVIDER: z.enum(['simulated', 'yahoo', 'csv']).default('simulated'),
  YAHOO_BASE_URL: z
    .string()
    .url({ message: 'expected an http(s):// URL' })
    .refine((value) => /^https?:\/\//.test(value), { message: 'expected an http(s):// URL' })
    .default('https://query1.finance.yahoo.com'),
  MARKET_TICK_SECONDS: z.coerce.number({ message: 'expected a whole number' }).int().min(1).max(3_600).default(5),
  CSV_IMPORT_DIR: z.string().min(1).default('./data/imports'),
  // --- faults and shutdown (timeouts, Redis breaker, graceful stop) ---
  DB_ACQUIRE_TIMEOUT_MS: z.coerce.number({ message: 'expected a whole number' }).int().min(100).max(60_000).default(2_000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number({ message: 'expected a whole number' }).int().min(100).max(600_000).default(5_000),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number({ message: 'expected a whole number' }).int().min(50).max(10_000).default(500),
  REDIS_BREAKER_OPEN_MS: z.coerce.number({ message: 'expected a whole number' }).int().min(100).max(60_000).default(3_000),
  SHUTDOWN_GRACE_MS: z.coerce.number({ message: 'expected a whole number' }).int().min(0).max(120_000).default(10_000),
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
  /** Absent: cache and event bus live in this process. */
  redisUrl?: string;
  /** Prepended to every Redis key and channel, so several deployments can share one Redis. */
  redisKeyPrefix: string;
  dataDir: string;
  dbPoolMax: number;
  seedOnStart: boolean;
  migrateOnStart: boolean;
  /** Run the scheduled jobs (quotes, indicators, retention) in this process. Default: on, except in tests. */
  jobsEnabled: boolean;
  /** Websocket limits; see src/realtime/graphql-ws-server.ts. */
  websocket: { maxSubscriptionsPerClient: number; maxBufferedBytes: number; connectionInitTimeoutMs: number };
  introspection: boolean;
  /** Serve the GraphiQL playground to browsers at GET /graphql. Default: on, except in production. */
  playgroundEnabled: boolean;
  maxQueryDepth: number;
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
}

/** Only for development and tests; production refuses to start without JWT_SECRET. */
export const DEVELOPMENT_JWT_SECRET = 'marketgraph-development-secret-do-not-use-in-production';

export class ConfigError extends Error {
  override name = 'ConfigError';
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
    },
    introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    playgroundEnabled: e.PLAYGROUND_ENABLED ?? e.NODE_ENV !== 'production',
    maxQueryDepth: e.GRAPHQL_MAX_DEPTH,
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
    dbAcquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS,
    dbStatementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    redisBreakerOpenMs: e.REDIS_BREAKER_OPEN_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
  };
}
