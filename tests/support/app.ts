import { randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { DatabaseTarget } from '../../src/db/database.js';
import { createLogger, type Logger } from '../../src/log.js';
import { openTestDatabases, testTarget, type TestDatabase } from './databases.js';
import { deleteKeys } from './redis-keys.js';
import { testRedisUrl } from './servers.js';

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface GraphQLResult<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: GraphQLError[];
}

export interface TestApp {
  app: App;
  url: string;
  stock: TestDatabase;
  user: TestDatabase;
  /** POSTs one operation to /graphql and returns the HTTP status with the parsed body. */
  graphql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResult<T>>;
  /** The data of an operation that must succeed; throws with the errors (as JSON) otherwise. */
  data<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<T>;
  /** The first error of an operation that must fail. */
  firstError(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLError>;
  /**
   * Runs an operation that must succeed and counts the SQL statements it sent to each database, with no stock row
   * cached by earlier operations (the cold cost a batching test compares).
   */
  coldStatements<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ data: T; stock: number; user: number }>;
  /** The same for a typed document from `npm run codegen`: result and variables are checked at compile time. */
  operation<TResult, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    headers?: Record<string, string>,
  ): Promise<GraphQLResult<TResult>>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Fills the fresh stock database before the app starts. */
  prepareStock?: (db: TestDatabase) => Promise<void>;
  /** Extra environment, as a user would set it. */
  env?: Record<string, string>;
  /** Environment that names the fresh databases (e.g. STOCK_DATABASE_REPLICA_URLS of the stock one). */
  envFor?: (databases: { stock: TestDatabase; user: TestDatabase }) => Promise<Record<string, string>>;
  /** Runs the user database somewhere else (fault tests: a cluster they freeze and stop); migrated by the app. */
  userTarget?: DatabaseTarget;
  /** A Redis of the test's own instead of TEST_REDIS_URL. */
  redisUrl?: string;
  /** Where the app logs (tests/support/log-capture.ts); default stdout at LOG_LEVEL (silent). */
  logger?: Logger;
}

/**
 * The real app on fresh databases (real PostgreSQL and Redis when the TEST_*
 * URLs are set), listening on a free loopback port. Nothing is seeded unless
 * prepareStock does it.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { stock, user } = await openTestDatabases();
  await options.prepareStock?.(stock);
  const redisUrl = options.redisUrl ?? testRedisUrl();
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    SEED_ON_START: 'false',
    // The cheapest scrypt cost config allows: tests hash many passwords.
    PASSWORD_HASH_COST: '12',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    // Suites make hundreds of requests from one IP; tests/abuse/rate-limits.test.ts turns them on.
    RATE_LIMITS: 'off',
    ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `mgtest:${randomBytes(4).toString('hex')}:` } : {}),
    ...options.env,
    ...(await options.envFor?.({ stock, user })),
  });
  const app = await createApp(config, {
    logger: options.logger ?? createLogger(config.logLevel),
    stockTarget: testTarget(stock),
    userTarget: options.userTarget ?? testTarget(user),
  });
  const url = await app.listen();
  const testApp: TestApp = {
    app,
    url,
    stock,
    user,
    async graphql(query, variables, headers) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResult, 'status'>;
      return { status: response.status, ...body } as GraphQLResult<any>;
    },
    async data(query, variables, headers) {
      const result = await testApp.graphql(query, variables, headers);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data as any;
    },
    async firstError(query, variables, headers) {
      const result = await testApp.graphql(query, variables, headers);
      if (!result.errors?.[0]) throw new Error(`expected an error, got ${JSON.stringify(result.data)}`);
      return result.errors[0];
    },
    async coldStatements(query, variables, headers) {
      app.stockRows.invalidate();
      app.catalogue.invalidate();
      app.stockDb.queries.reset();
      app.userDb.queries.reset();
      const data = await testApp.data(query, variables, headers);
      return { data, stock: app.stockDb.queries.count, user: app.userDb.queries.count };
    },
    operation(document, variables, headers) {
      return testApp.graphql(print(document), variables, headers);
    },
    async close() {
      await app.close();
      await Promise.all([stock.close(), user.close()]);
      // BullMQ's keys have no TTL: the app's queues go with it.
      if (config.redisUrl) await deleteKeys(config.redisUrl, config.queues.prefix);
    },
  };
  return testApp;
}
