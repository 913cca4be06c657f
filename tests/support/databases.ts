import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrate } from '../../src/db/migrator.js';
import { createPgExecutor, createPgliteExecutor, type SqlExecutor } from '../../src/db/sql-executor.js';
import { migrationsDir, type DatabaseName } from '../../src/paths.js';
import { pgliteTemplatePrefix, testDatabasePrefix } from './run-id.js';
import { requireServer } from './servers.js';

export interface TestDatabase {
  readonly sql: SqlExecutor;
  /** The connection URL of a fresh database on the real server; absent on PGlite. */
  readonly url?: string;
  /** The open in-memory instance on PGlite; absent on a real server. */
  readonly pglite?: PGlite;
  close(): Promise<void>;
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
 * the real server when TEST_<NAME>_DATABASE_URL is set, else in-memory PGlite.
 */
export async function openTestDatabase(database: DatabaseName): Promise<TestDatabase> {
  const serverUrl = testServerUrl(database);
  let handle: TestDatabase;
  if (serverUrl) {
    handle = await createServerDatabase(serverUrl, database);
  } else {
    requireServer('postgres', false);
    const pglite = await migratedPglite(database);
    handle = { sql: createPgliteExecutor(pglite), pglite, close: () => pglite.close() };
  }
  await migrate(handle.sql, migrationsDir(database));
  return handle;
}

/** A fingerprint of a database's migrations: a template made from other SQL is never reused. */
async function migrationsFingerprint(database: DatabaseName): Promise<string> {
  const dir = migrationsDir(database);
  const hash = createHash('sha256');
  for (const entry of (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    hash.update(entry.name).update(await readFile(join(dir, entry.name, 'migration.sql')));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * In-memory PGlite with the migrations applied. PGlite's own initdb takes ~1.5-5 s a database on these
 * 2 cores, and every test file opens two, so the first file of a run saves a migrated data directory
 * (a tarball in the temp dir, named for this run and the migrations) and the others load it (~0.5 s).
 * Removed by global-setup's teardown.
 */
async function migratedPglite(database: DatabaseName): Promise<PGlite> {
  const template = join(tmpdir(), `${pgliteTemplatePrefix()}${database}-${await migrationsFingerprint(database)}.tar`);
  const saved = await readFile(template).catch(() => null);
  if (saved) return PGlite.create({ loadDataDir: new Blob([saved]) });
  const fresh = await PGlite.create();
  await migrate(createPgliteExecutor(fresh), migrationsDir(database));
  const dump = Buffer.from(await (await fresh.dumpDataDir('none')).arrayBuffer());
  // Written aside and renamed, so a file opening at the same moment never reads half a tarball.
  const partial = `${template}.${randomBytes(4).toString('hex')}.partial`;
  await writeFile(partial, dump);
  await rename(partial, template);
  return fresh;
}
