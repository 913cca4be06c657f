import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { PrismaClient as StockPrismaClient } from '../generated/stock/client.js';
import { PrismaClient as UserPrismaClient } from '../generated/user/client.js';
import type { DatabaseName } from '../paths.js';
import { acquireSharedPglite, SharedPglite, type PgliteSession } from './shared-pglite.js';
import { createPgExecutor, createPgliteExecutor, type SqlExecutor } from './sql-executor.js';
import { refuseLegacyLayout } from './embedded-layout.js';
import { mapDatabaseError } from './unavailable.js';
import { ReplicaRotation, replicaRoutingExecutor, withReadReplicas } from './read-replicas.js';

export type StockClient = InstanceType<typeof StockPrismaClient>;
export type UserClient = InstanceType<typeof UserPrismaClient>;

/**
 * Where a database lives: a PostgreSQL server; a schema of the embedded instance in a folder (the stock and
 * user databases of one process share it); or an open instance the caller owns: a SharedPglite with the
 * schema to use, or a plain PGlite used as it is.
 */
export type DatabaseTarget =
  | { url: string; poolMax?: number; timeouts?: DatabaseTimeouts }
  | { dataDir: string; schema: string }
  | { pglite: SharedPglite; schema: string }
  | { pglite: PGlite };

/** Bounds for a PostgreSQL pool; a database that is down or frozen fails within them. */
export interface DatabaseTimeouts {
  /** Wait for a pooled (or new) connection. */
  acquireMs: number;
  /** Server-side statement_timeout; the client gives up shortly after, for a server that never answers. */
  statementMs: number;
}

export const DEFAULT_TIMEOUTS: DatabaseTimeouts = { acquireMs: 2_000, statementMs: 5_000 };
const CLIENT_TIMEOUT_MARGIN_MS = 500;

/** Counts SQL statements sent by Prisma and by the raw executor, so tests can prove a query is batched. */
export class QueryCounter {
  count = 0;
  readonly statements: string[] = [];
  /** Called with each statement's duration in ms (the metrics registry's query histogram). */
  onDuration?: (ms: number) => void;
  record(sql: string, durationMs?: number): void {
    this.count += 1;
    if (durationMs !== undefined) this.onDuration?.(durationMs);
    if (this.statements.length < 1000) this.statements.push(sql);
  }
  reset(): void {
    this.count = 0;
    this.statements.length = 0;
  }
}

export interface Database<Client> {
  readonly name: DatabaseName;
  readonly kind: 'pg' | 'pglite';
  /** The URL without its password, or the PGlite folder. */
  readonly location: string;
  readonly prisma: Client;
  readonly sql: SqlExecutor;
  /**
   * The same connections, left out of `queries`: for writers off the request path (the activity log's batches),
   * so a statement count measures what a request sent, not a flush that happened to land meanwhile.
   */
  readonly backgroundSql: SqlExecutor;
  readonly queries: QueryCounter;
  /** Statements answered by read replicas (also counted in `queries`); empty without replicas. */
  readonly replicaQueries: QueryCounter;
  /** Read replicas in use (STOCK_DATABASE_REPLICA_URLS; PostgreSQL only). */
  readonly replicas: number;
  /** The node-postgres pool's counts (connections, idle, waiting); undefined on PGlite. */
  readonly pool?: { readonly totalCount: number; readonly idleCount: number; readonly waitingCount: number };
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

interface Connection {
  kind: 'pg' | 'pglite';
  location: string;
  adapter: PrismaPg | PrismaPGlite;
  sql: SqlExecutor;
  pool?: pg.Pool;
  shutdown(): Promise<void>;
}

async function connect(name: DatabaseName, target: DatabaseTarget): Promise<Connection> {
  if ('url' in target) {
    const timeouts = target.timeouts ?? DEFAULT_TIMEOUTS;
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolMax ?? 10,
      connectionTimeoutMillis: timeouts.acquireMs,
      statement_timeout: timeouts.statementMs,
      query_timeout: timeouts.statementMs + CLIENT_TIMEOUT_MARGIN_MS,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    const sql = createPgExecutor(pool, (error) => mapDatabaseError(name, error));
    return { kind: 'pg', location: redactUrl(target.url), adapter: new PrismaPg(pool), sql, pool, shutdown: () => sql.close() };
  }
  if ('dataDir' in target) {
    refuseLegacyLayout(target.dataDir);
    const { instance, release } = await acquireSharedPglite(target.dataDir);
    return pgliteConnection(instance.view(target.schema), `${target.dataDir} (schema ${target.schema})`, target.schema, release);
  }
  if (target.pglite instanceof SharedPglite) {
    const schema = (target as { schema: string }).schema;
    // The caller opened this instance and closes it.
    return pgliteConnection(target.pglite.view(schema), `memory (schema ${schema})`, schema, async () => undefined);
  }
  return pgliteConnection(target.pglite, 'memory', undefined, async () => undefined);
}

async function pgliteConnection(session: PgliteSession, location: string, schema: string | undefined, shutdown: () => Promise<void>): Promise<Connection> {
  if (schema && 'ensureSchema' in session) await (session as { ensureSchema(): Promise<void> }).ensureSchema();
  return { kind: 'pglite', location, adapter: schemaAdapter(session, schema), sql: createPgliteExecutor(session), shutdown };
}

/**
 * pglite-prisma-adapter's factory takes no schema option: Prisma then qualifies every table as "public".
 * On a shared instance the adapter must report the view's schema, so Prisma writes "stock_data"."stock".
 */
function schemaAdapter(session: PgliteSession, schema: string | undefined): PrismaPGlite {
  const factory = new PrismaPGlite(session as PGlite);
  if (!schema) return factory;
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const info = adapter.getConnectionInfo?.() ?? { supportsRelationJoins: true };
    adapter.getConnectionInfo = () => ({ ...info, schemaName: schema });
    return adapter;
  };
  return factory;
}

async function open<Client extends { $disconnect(): Promise<void> }>(
  name: DatabaseName,
  target: DatabaseTarget,
  makeClient: (adapter: PrismaPg | PrismaPGlite, queries: QueryCounter[]) => Client,
  replicaUrls: readonly string[] = [],
): Promise<Database<Client>> {
  const connection = await connect(name, target);
  const queries = new QueryCounter();
  const replicaQueries = new QueryCounter();
  const replicas: Connection[] = [];
  const reach = async (conn: Connection) => {
    try {
      await conn.sql.query('SELECT 1');
    } catch (error) {
      await Promise.all([connection, ...replicas].map((c) => c.shutdown().catch(() => undefined)));
      const reason = error instanceof Error ? error.message || error.name : String(error);
      throw new DatabaseUnreachableError(`Cannot reach the ${name} database at ${conn.location}: ${reason}`);
    }
  };
  await reach(connection);
  // Replicas only behind a PostgreSQL primary: the embedded database has none.
  if ('url' in target) {
    for (const url of replicaUrls) {
      const replica = await connect(name, { ...target, url });
      replicas.push(replica);
      await reach(replica);
    }
  }
  // Hot loaders run on the raw executor: a statement they send must count like one sent by Prisma.
  const primarySql = countingExecutor(connection.sql, queries);
  // One rotation for both paths: a replica the raw path found down is skipped by Prisma too, and the other way round.
  const rotation = new ReplicaRotation(replicas.length);
  const sql =
    replicas.length === 0
      ? primarySql
      : replicaRoutingExecutor(primarySql, replicas.map((r) => countingExecutor(countingExecutor(r.sql, replicaQueries), queries)), rotation);
  const primaryClient = makeClient(connection.adapter, [queries]);
  const replicaClients = replicas.map((r) => makeClient(r.adapter, [queries, replicaQueries]));
  const prisma = withUnavailableMapping(name, replicaClients.length === 0 ? primaryClient : withReadReplicas(primaryClient, replicaClients, rotation));
  const ping = async () => {
    await connection.sql.query('SELECT 1');
  };
  return {
    name,
    kind: connection.kind,
    location: connection.location,
    prisma,
    sql,
    backgroundSql: connection.sql,
    queries,
    replicaQueries,
    replicas: replicas.length,
    pool: connection.pool,
    ping,
    async close() {
      await prisma.$disconnect();
      for (const client of replicaClients) await client.$disconnect();
      await connection.shutdown();
      for (const replica of replicas) await replica.shutdown();
    },
  };
}

/**
 * Prisma wraps driver errors in its own types; a query hook maps connection-class failures to
 * SERVICE_UNAVAILABLE naming this database. Only the error path pays for it.
 */
function withUnavailableMapping<Client>(name: DatabaseName, client: Client): Client {
  const extendable = client as unknown as { $extends(extension: unknown): unknown };
  return extendable.$extends({
    query: {
      async $allOperations({ args, query }: { args: unknown; query: (args: unknown) => Promise<unknown> }) {
        try {
          return await query(args);
        } catch (error) {
          return mapDatabaseError(name, error);
        }
      },
    },
  }) as Client;
}

function countingExecutor(inner: SqlExecutor, queries: QueryCounter): SqlExecutor {
  const timed = async <T>(text: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      queries.record(text, performance.now() - started);
    }
  };
  return {
    kind: inner.kind,
    query<T>(text: string, params?: unknown[]) {
      return timed(text, () => inner.query<T>(text, params));
    },
    exec(text: string) {
      return timed(text, () => inner.exec(text));
    },
    copyFrom(table: string, columns: readonly string[], text: string | Uint8Array) {
      return timed(`COPY ${table}`, () => inner.copyFrom(table, columns, text));
    },
    transaction<T>(fn: (tx: SqlExecutor) => Promise<T>) {
      return inner.transaction((tx) => fn(countingExecutor(tx, queries)));
    },
    close: () => inner.close(),
  };
}

const QUERY_EVENTS = [{ emit: 'event', level: 'query' }] as const;

/** `replicaUrls` (STOCK_DATABASE_REPLICA_URLS): reads go to these streaming replicas; see read-replicas.ts. */
export function openStockDatabase(target: DatabaseTarget, replicaUrls: readonly string[] = []): Promise<Database<StockClient>> {
  return open(
    'stock',
    target,
    (adapter, counters) => {
      const client = new StockPrismaClient({ adapter, log: [...QUERY_EVENTS] });
      client.$on('query', (event) => counters.forEach((queries) => queries.record(event.query, event.duration)));
      return client as StockClient;
    },
    replicaUrls,
  );
}

export function openUserDatabase(target: DatabaseTarget): Promise<Database<UserClient>> {
  return open('user', target, (adapter, [queries]) => {
    const client = new UserPrismaClient({ adapter, log: [...QUERY_EVENTS] });
    client.$on('query', (event) => queries!.record(event.query, event.duration));
    return client as UserClient;
  });
}
