import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite, type PGliteOptions, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
import { siblingWorkerUrl } from '../workers/pool.js';

/** The schema each database lives in when both share one embedded instance. */
export const EMBEDDED_SCHEMAS = { stock: 'stock_data', user: 'user_data' } as const;
export type EmbeddedSchema = (typeof EMBEDDED_SCHEMAS)[keyof typeof EMBEDDED_SCHEMAS];

/**
 * PGlite keeps Postgres's 128 MB shared_buffers by default, and WASM memory once touched is never given back:
 * 16 MB holds the seeded catalogue's hot pages and took a reopened instance from ~300 MB to ~170 MB RSS.
 */
const SHARED_BUFFERS = '16MB';

/** PGlite's own start parameters (not in its type declarations) plus ours. */
function startParams(): string[] {
  const defaults = (PGlite as unknown as { defaultStartParams?: string[] }).defaultStartParams;
  return [...(defaults ?? ['--single', '-F', '-O', '-j', '-c', 'search_path=public', '-c', 'exit_on_error=false']), '-c', `shared_buffers=${SHARED_BUFFERS}`];
}

/** Options every embedded instance opens with (tests use them too, so they measure what users run). */
export function embeddedPgliteOptions(extra: PGliteOptions = {}): PGliteOptions {
  return { startParams: startParams(), ...extra };
}

/** What the Prisma adapter and the SQL executor call on a PGlite instance; a SchemaView offers the same. */
export interface PgliteSession {
  query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(query: string, options?: QueryOptions): Promise<Array<Results>>;
  transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T>;
}

/**
 * One PGlite instance (one Postgres session) holding several databases as schemas. Each view runs its
 * statements with search_path set to its own schema only, so an unqualified name (raw SQL, the migrator,
 * partition functions) resolves in that schema and nowhere else. PGlite is a single session: the search_path
 * is shared, so every statement goes through this instance's lock, which switches it when the previous
 * statement came from another view. A transaction holds the lock to its end (as PGlite itself does), so
 * a view must never wait on another view from inside its own transaction: that would deadlock.
 */
export class SharedPglite {
  #tail: Promise<unknown> = Promise.resolve();
  /** The schema search_path is set to now; undefined when unknown (after a transaction or a script). */
  #current: string | undefined;
  #views = new Map<string, SchemaView>();
  /** Statements that had to switch the search_path first (tests read it; the cost of sharing). */
  switches = 0;

  constructor(readonly pglite: PGlite, readonly location: string) {}

  /** Opens (creating when missing) the instance in `dataDir`; a fresh folder is initialised in a child process (see initialiseDataDir). */
  static async open(dataDir: string): Promise<SharedPglite> {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialiseDataDir(dataDir);
    return new SharedPglite(await PGlite.create(dataDir, embeddedPgliteOptions()), dataDir);
  }

  /** The session of one schema (created on first use). */
  view(schema: string): SchemaView {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Not a schema name: ${schema}`);
    let view = this.#views.get(schema);
    if (!view) this.#views.set(schema, (view = new SchemaView(this, schema)));
    return view;
  }

  /** Runs fn alone on the instance with search_path set to `schema`. */
  run<T>(schema: string, fn: (pglite: PGlite) => Promise<T>, leavesPathUnknown = false): Promise<T> {
    const result = this.#tail.then(async () => {
      if (this.#current !== schema) {
        this.switches += 1;
        this.#current = undefined;
        await this.pglite.exec(`SET search_path TO "${schema}"`);
        this.#current = schema;
      }
      try {
        return await fn(this.pglite);
      } finally {
        // A transaction or a script may SET search_path itself (or roll our SET back): set it again next time.
        if (leavesPathUnknown) this.#current = undefined;
      }
    });
    this.#tail = result.catch(() => undefined);
    return result;
  }

  close(): Promise<void> {
    return this.#tail.then(() => this.pglite.close());
  }
}

/** One schema's session on a SharedPglite: what its Prisma adapter and SqlExecutor talk to. */
export class SchemaView implements PgliteSession {
  constructor(readonly shared: SharedPglite, readonly schema: string) {}

  query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.shared.run(this.schema, (pglite) => pglite.query<T>(query, params, options));
  }

  exec(query: string, options?: QueryOptions): Promise<Array<Results>> {
    return this.shared.run(this.schema, (pglite) => pglite.exec(query, options), true);
  }

  transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.shared.run(this.schema, (pglite) => pglite.transaction(callback), true);
  }

  /** Creates the schema when missing (before the first migration). */
  async ensureSchema(): Promise<void> {
    await this.shared.run(this.schema, (pglite) => pglite.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`));
  }
}

const run = promisify(execFile);

/**
 * initdb in a child process: it leaves ~300 MB of WASM memory and heap behind in the process that runs it
 * (measured: a fresh instance idles at ~470 MB, the same folder reopened at ~300 MB), so the server only
 * ever opens an initialised folder.
 */
export async function initialiseDataDir(dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const entry = fileURLToPath(siblingWorkerUrl(import.meta.url, 'pglite-init'));
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  await run(process.execPath, [...loader, entry, dataDir], { timeout: 120_000 }).catch((error: Error & { stderr?: string }) => {
    throw new Error(`Could not initialise the embedded database in ${dataDir}: ${error.stderr?.trim() || error.message}`);
  });
}

/** Open instances by folder: the stock and the user database of one process share one. */
const openInstances = new Map<string, { instance: Promise<SharedPglite>; users: number }>();

/** The instance of `dataDir`, opened on first use; release() closes it when its last user is done. */
export async function acquireSharedPglite(dataDir: string): Promise<{ instance: SharedPglite; release(): Promise<void> }> {
  let entry = openInstances.get(dataDir);
  if (!entry) {
    entry = { instance: SharedPglite.open(dataDir), users: 0 };
    openInstances.set(dataDir, entry);
    entry.instance.catch(() => openInstances.delete(dataDir));
  }
  entry.users += 1;
  const held = entry;
  const instance = await held.instance;
  let released = false;
  return {
    instance,
    async release() {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users > 0) return;
      openInstances.delete(dataDir);
      await instance.close();
    },
  };
}
