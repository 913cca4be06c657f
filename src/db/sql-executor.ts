import type { Transaction } from '@electric-sql/pglite';
import type { PgliteSession } from './shared-pglite.js';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { copyStatement } from './copy-text.js';

/**
 * The few raw-SQL operations the migrator, the seeder, health checks and hot
 * paths need, over either driver. Application queries go through Prisma.
 */
export interface SqlExecutor {
  readonly kind: 'pg' | 'pglite';
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs several statements separated by semicolons; takes no parameters. */
  exec(sql: string): Promise<void>;
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Loads `text` (COPY text format, see copy-text.ts; as a string or its UTF-8 bytes) into `table`'s
   * `columns` with COPY: STDIN on node-postgres, PGlite's /dev/blob on the embedded one.
   */
  copyFrom(table: string, columns: readonly string[], text: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
}

type PgQueryable = Pick<pg.PoolClient, 'query'>;

/** Turns a driver error into the error callers should see (e.g. SERVICE_UNAVAILABLE); always throws. */
export type ErrorMapper = (error: unknown) => never;

const rethrow: ErrorMapper = (error) => {
  throw error;
};

function pgExecutor(queryable: PgQueryable, pool: pg.Pool | null, mapError: ErrorMapper): SqlExecutor {
  return {
    kind: 'pg',
    async query<T>(text: string, params?: unknown[]) {
      const result = await queryable.query(text, params as unknown[]).catch(mapError);
      return result.rows as T[];
    },
    async exec(sql: string) {
      await queryable.query(sql).catch(mapError);
    },
    async copyFrom(table: string, columns: readonly string[], text: string | Uint8Array) {
      // COPY needs one connection for its whole stream: outside a transaction, borrow one.
      const client = pool ? await pool.connect().catch(mapError) : (queryable as pg.PoolClient);
      try {
        const stream = client.query(copyFromStdin(copyStatement(table, columns, 'STDIN')));
        await pipeline(Readable.from([text]), stream).catch(mapError);
      } finally {
        if (pool) client.release();
      }
    },
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>) {
      if (!pool) throw new Error('Nested transactions are not supported: use the executor passed to fn');
      const client = await pool.connect().catch(mapError);
      try {
        await client.query('BEGIN');
        const result = await fn(pgExecutor(client, null, mapError));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool?.end();
    },
  };
}

/** An executor over a node-postgres pool; close() ends the pool. */
export function createPgExecutor(pool: pg.Pool, mapError: ErrorMapper = rethrow): SqlExecutor {
  return pgExecutor(pool as unknown as PgQueryable, pool, mapError);
}

function pgliteExecutor(db: PgliteSession | Transaction, owner: PgliteSession | null): SqlExecutor {
  return {
    kind: 'pglite',
    async query<T>(text: string, params?: unknown[]) {
      const result = await db.query<T>(text, params);
      return result.rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    async copyFrom(table: string, columns: readonly string[], text: string | Uint8Array) {
      await db.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([text as BlobPart]) });
    },
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>) {
      if (!owner) throw new Error('Nested transactions are not supported: use the executor passed to fn');
      return owner.transaction((tx) => fn(pgliteExecutor(tx, null)));
    },
    async close() {
      // The PGlite instance is shared with Prisma's adapter; its owner closes it.
    },
  };
}

/** An executor over an open PGlite instance or one schema's view of a shared one; the caller owns and closes it. */
export function createPgliteExecutor(db: PgliteSession): SqlExecutor {
  return pgliteExecutor(db, db);
}
