// Stock-database reads on streaming replicas (STOCK_DATABASE_REPLICA_URLS), writes on the primary, and
// read-your-writes: once an operation (an HTTP request, a job run, or `runOperation`) has written, the rest of it
// reads from the primary too, so a backfill followed by a read in the same operation never sees a lagging replica.

import { AsyncLocalStorage } from 'node:async_hooks';
import { readReplicas } from '@prisma/extension-read-replicas';
import { currentRequestScope } from '../observability/request-id.js';
import type { SqlExecutor } from './sql-executor.js';

interface OperationState {
  wrote: boolean;
}

const operations = new AsyncLocalStorage<OperationState>();
/** HTTP requests already run inside a request scope (src/app.ts): its state hangs off that object. */
const byRequest = new WeakMap<object, OperationState>();

/** Runs fn as one operation: after its first write, its reads go to the primary. */
export function runOperation<T>(fn: () => T): T {
  return operations.run({ wrote: false }, fn);
}

function currentOperation(): OperationState | undefined {
  const own = operations.getStore();
  if (own) return own;
  const request = currentRequestScope();
  if (!request) return undefined;
  let state = byRequest.get(request);
  if (!state) byRequest.set(request, (state = { wrote: false }));
  return state;
}

/** This operation wrote to the primary: its later reads go there too. */
export function noteWrite(): void {
  const state = currentOperation();
  if (state) state.wrote = true;
}

/** Whether this operation must read from the primary (it has written). */
export function readsFromPrimary(): boolean {
  return currentOperation()?.wrote === true;
}

const READ = /^\s*(\(\s*)*(SELECT|WITH|VALUES|TABLE|SHOW)\b/i;
/** Statements that look like reads but write, lock or need the primary. */
const WRITES = /\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|INTO|CREATE|ALTER|DROP|COPY|LOCK)\b|\bFOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE|KEY\s+SHARE)\b|\b(ensure_\w+|pg_advisory\w*|nextval|setval|pg_notify|set_config|pg_try_advisory\w*)\s*\(/i;

/** Whether a replica can answer this statement: a plain read that writes nothing and takes no lock. */
export function isReadOnlyStatement(text: string): boolean {
  return READ.test(text) && !WRITES.test(text);
}

/**
 * Reads on a replica (round robin), the rest on the primary. A statement the replica refuses (it cannot answer a
 * write) would surface as an error; isReadOnlyStatement keeps those away from it.
 */
export function replicaRoutingExecutor(primary: SqlExecutor, replicas: readonly SqlExecutor[]): SqlExecutor {
  let next = 0;
  const replica = () => replicas[next++ % replicas.length]!;
  return {
    kind: primary.kind,
    query<T>(text: string, params?: unknown[]) {
      if (!readsFromPrimary() && isReadOnlyStatement(text)) return replica().query<T>(text, params);
      if (!isReadOnlyStatement(text)) noteWrite();
      return primary.query<T>(text, params);
    },
    exec(sql: string) {
      noteWrite();
      return primary.exec(sql);
    },
    copyFrom(table: string, columns: readonly string[], text: string | Uint8Array) {
      noteWrite();
      return primary.copyFrom(table, columns, text);
    },
    transaction<T>(fn: (tx: SqlExecutor) => Promise<T>) {
      // A transaction is taken as a write: it runs on the primary, and so does the rest of the operation.
      noteWrite();
      return primary.transaction(fn);
    },
    async close() {
      await Promise.all([primary.close(), ...replicas.map((r) => r.close())]);
    },
  };
}

const PRISMA_READS = new Set(['findFirst', 'findFirstOrThrow', 'findMany', 'findUnique', 'findUniqueOrThrow', 'groupBy', 'aggregate', 'count', '$queryRaw', '$queryRawUnsafe']);

type QueryHook = { model?: string; operation: string; args: unknown; query: (args: unknown) => Promise<unknown> };
interface Extendable {
  $extends(extension: unknown): unknown;
}

/**
 * The Prisma side: `@prisma/extension-read-replicas` sends reads to the replica clients; each of them hands a
 * read back to the primary once the operation has written, and the primary notes every write.
 */
export function withReadReplicas<Client>(primary: Client, replicas: readonly Client[]): Client {
  const base = primary as unknown as Record<string, Record<string, (args: unknown) => Promise<unknown>>>;
  const sticky = replicas.map((replica) =>
    (replica as unknown as Extendable).$extends({
      query: {
        $allOperations({ model, operation, args, query }: QueryHook) {
          if (!readsFromPrimary()) return query(args);
          const delegate = model ? base[model.charAt(0).toLowerCase() + model.slice(1)]! : (base as unknown as Record<string, (args: unknown) => Promise<unknown>>);
          return (delegate[operation] as (args: unknown) => Promise<unknown>)(args);
        },
      },
    }),
  );
  const noting = (primary as unknown as Extendable).$extends({
    query: {
      async $allOperations({ operation, args, query }: QueryHook) {
        if (!PRISMA_READS.has(operation)) noteWrite();
        return query(args);
      },
    },
  }) as Extendable;
  return noting.$extends(readReplicas({ replicas: sticky as never })) as Client;
}
