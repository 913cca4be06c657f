// Stock-database reads on streaming replicas (STOCK_DATABASE_REPLICA_URLS), writes on the primary, and
// read-your-writes: once an operation (an HTTP request, a job run, or `runOperation`) has written, the rest of it
// reads from the primary too, so a backfill followed by a read in the same operation never sees a lagging replica.

import { AsyncLocalStorage } from 'node:async_hooks';
import { readReplicas } from '@prisma/extension-read-replicas';
import { currentRequestScope } from '../observability/request-id.js';
import { ServiceUnavailableError } from '../graphql/errors.js';
import type { SqlExecutor } from './sql-executor.js';
import { isConnectionFailure } from './unavailable.js';

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

/** How long a replica that failed to answer is left out before it is tried again. */
export const REPLICA_RETRY_MS = 5_000;

/** A replica that is down, frozen or cancels a read for a recovery conflict: the read is retried on the primary. */
export function isReplicaFailure(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError || isConnectionFailure(error)) return true;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /conflict with recovery/i.test(message);
}

/** Which replicas are in service: round robin over those not left out after a failure. */
export class ReplicaRotation {
  private next = 0;
  private readonly downUntil: number[];
  constructor(readonly size: number) {
    this.downUntil = new Array<number>(size).fill(0);
  }
  /** A replica to read from, or null when all of them failed lately (read from the primary). */
  pick(now = Date.now()): number | null {
    for (let tried = 0; tried < this.size; tried += 1) {
      const index = this.next++ % this.size;
      if (this.downUntil[index]! <= now) return index;
    }
    return null;
  }
  isUp(index: number, now = Date.now()): boolean {
    return this.downUntil[index]! <= now;
  }
  markDown(index: number, now = Date.now()): void {
    this.downUntil[index] = now + REPLICA_RETRY_MS;
  }
}

/**
 * Reads on a replica (round robin), the rest on the primary. A statement the replica refuses (it cannot answer a
 * write) would surface as an error; isReadOnlyStatement keeps those away from it.
 */
export function replicaRoutingExecutor(primary: SqlExecutor, replicas: readonly SqlExecutor[], rotation = new ReplicaRotation(replicas.length)): SqlExecutor {
  return {
    kind: primary.kind,
    async query<T>(text: string, params?: unknown[]) {
      const index = !readsFromPrimary() && isReadOnlyStatement(text) ? rotation.pick() : null;
      if (index !== null) {
        try {
          return await replicas[index]!.query<T>(text, params);
        } catch (error) {
          if (!isReplicaFailure(error)) throw error;
          rotation.markDown(index);
          return primary.query<T>(text, params);
        }
      }
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
export function withReadReplicas<Client>(primary: Client, replicas: readonly Client[], rotation = new ReplicaRotation(replicas.length)): Client {
  const base = primary as unknown as Record<string, Record<string, (args: unknown) => Promise<unknown>>>;
  const onPrimary = ({ model, operation, args }: QueryHook) => {
    const delegate = model ? base[model.charAt(0).toLowerCase() + model.slice(1)]! : (base as unknown as Record<string, (args: unknown) => Promise<unknown>>);
    return (delegate[operation] as (args: unknown) => Promise<unknown>)(args);
  };
  const sticky = replicas.map((replica, index) =>
    (replica as unknown as Extendable).$extends({
      query: {
        async $allOperations(hook: QueryHook) {
          if (readsFromPrimary() || !rotation.isUp(index)) return onPrimary(hook);
          try {
            return await hook.query(hook.args);
          } catch (error) {
            if (!isReplicaFailure(error)) throw error;
            rotation.markDown(index);
            return onPrimary(hook);
          }
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
