import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrate } from '../../src/db/migrator.js';
import type { DatabaseTarget } from '../../src/db/database.js';
import { EMBEDDED_SCHEMAS, embeddedPgliteOptions, SharedPglite } from '../../src/db/shared-pglite.js';
import { createPgExecutor, createPgliteExecutor, type SqlExecutor } from '../../src/db/sql-executor.js';
import { migrationsDir, type DatabaseName } from '../../src/paths.js';
import { pgliteTemplatePrefix, testDatabasePrefix } from './run-id.js';
import { requireServer } from './servers.js';

export interface TestDatabase {
  readonly sql: SqlExecutor;
  /** The connection URL of a fresh database on the real server; absent on PGlite. */
  readonly url?: string;
  /** On PGlite: the in-memory instance holding this database as `schema` (both databases of a test share it). */
  readonly pglite?: SharedPglite;
  /** On PGlite: this database's schema in `pglite`. */
  readonly schema?: string;
  close(): Promise<void>;
}

/** Where an app (or a second client) finds this test database. */
export function testTarget(db: TestDatabase, poolMax = 4): DatabaseTarget {
  return db.url ? { url: db.url, poolMax } : { pglite: db.pglite!, schema: db.schema! };
}

const URL_VARIABLES: Record<DatabaseName, string> = {
  stock: 'TEST_STOCK_DATABASE_URL',
  user: 'TEST_USER_DATABASE_URL',
};

/** The server URL the suite runs against for this database, or undefined for PGlite. */
export function testServerUrl(database: DatabaseName): string | undefined {
  return process.env[URL_VARIABLES[database]] || undefined;
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function createServerDatabase(serverUrl: string, database: DatabaseName): Promise<TestDatabase> {
  const name = `${testDatabasePrefix()}${database}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabaseName(serverUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  const sql = createPgExecutor(pool);
  // The database itself is dropped after the whole run (tests/support/global-setup.ts).
  return { sql, url, close: () => sql.close() };
}

/**
 * A fresh, fully migrated database that no other test sees: a new database on
 * the real server when TEST_<NAME>_DATABASE_URL is set, else a schema of a new in-memory PGlite.
 */
export async function openTestDatabase(database: DatabaseName): Promise<TestDatabase> {
  return (await openTestDatabases([database]))[database]!;
}

/**
 * A fresh database with no migration applied (a test migrates it step by step): a new database on the real
 * server, else the `database`'s schema of a new in-memory PGlite of its own (initialised from scratch, not
 * cloned from the migrated template, so it costs PGlite's initdb: use it sparingly).
 */
export async function openBareTestDatabase(database: DatabaseName): Promise<TestDatabase> {
  const serverUrl = testServerUrl(database);
  if (serverUrl) return createServerDatabase(serverUrl, database);
  requireServer('postgres', false);
  const shared = new SharedPglite(await PGlite.create(embeddedPgliteOptions()), 'memory');
  const view = shared.view(EMBEDDED_SCHEMAS[database]);
  await view.ensureSchema();
  return { sql: createPgliteExecutor(view), pglite: shared, schema: view.schema, close: () => shared.close() };
}

/**
 * Fresh stock and user databases, as the app runs them: on PGlite one instance (cloned from a migrated
 * template) holds both as the schemas stock_data and user_data, closed when both are.
 */
export async function openTestDatabases<Name extends DatabaseName>(names: readonly Name[] = ['stock', 'user'] as Name[]): Promise<Record<Name, TestDatabase>> {
  const opened = {} as Record<Name, TestDatabase>;
  const onPglite = names.filter((name) => !testServerUrl(name));
  const shared = onPglite.length > 0 ? (requireServer('postgres', false), new SharedPglite(await migratedPglite(), 'memory')) : undefined;
  let open = onPglite.length;
  const release = async () => {
    open -= 1;
    if (open === 0) await shared!.close();
  };
  await Promise.all(
    names.map(async (name) => {
      const serverUrl = testServerUrl(name);
      let handle: TestDatabase;
      if (serverUrl) {
        handle = await createServerDatabase(serverUrl, name);
      } else {
        const view = shared!.view(EMBEDDED_SCHEMAS[name]);
        let closed = false;
        handle = { sql: createPgliteExecutor(view), pglite: shared, schema: view.schema, close: async () => (closed ? undefined : ((closed = true), release())) };
      }
      await migrate(handle.sql, migrationsDir(name));
      opened[name] = handle;
    }),
  );
  return opened;
}

/** A fingerprint of both databases' migrations: a template made from other SQL is never reused. */
async function migrationsFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const database of ['stock', 'user'] as const) {
    const dir = migrationsDir(database);
    for (const entry of (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      hash.update(database).update(entry.name).update(await readFile(join(dir, entry.name, 'migration.sql')));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The migrated template's tarball path: in-memory PGlite holding both databases migrated, as the schemas
 * stock_data and user_data (the embedded default's layout), dumped to the temp dir under this run's name and
 * the migrations' fingerprint. global-setup makes it once before any file runs (PGlite's initdb and the
 * migrations cost several seconds of CPU on these 2 cores); a file that finds it missing makes it itself.
 * Removed by global-setup's teardown.
 */
export async function ensurePgliteTemplate(): Promise<string> {
  const template = join(tmpdir(), `${pgliteTemplatePrefix()}${await migrationsFingerprint()}.tar`);
  if (existsSync(template)) return template;
  const fresh = await PGlite.create(embeddedPgliteOptions());
  try {
    const shared = new SharedPglite(fresh, 'memory');
    for (const database of ['stock', 'user'] as const) {
      const view = shared.view(EMBEDDED_SCHEMAS[database]);
      await view.ensureSchema();
      await migrate(createPgliteExecutor(view), migrationsDir(database));
    }
    // Back to PGlite's own search_path, as a loaded template starts.
    await fresh.exec('RESET search_path');
    const dump = Buffer.from(await (await fresh.dumpDataDir('none')).arrayBuffer());
    // Written aside and renamed, so a file opening at the same moment never reads half a tarball.
    const partial = `${template}.${randomBytes(4).toString('hex')}.partial`;
    await writeFile(partial, dump);
    await rename(partial, template);
  } finally {
    await fresh.close();
  }
  return template;
}

/** A new in-memory instance cloned from the template: one instance per file instead of two, and no migration runs. */
async function migratedPglite(): Promise<PGlite> {
  const saved = await readFile(await ensurePgliteTemplate());
  return PGlite.create(embeddedPgliteOptions({ loadDataDir: new Blob([saved]) }));
}
