import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ensurePgliteTemplate } from './databases.js';
import { pgliteTemplatePrefix, TEST_RUN_VARIABLE, testDatabasePrefix } from './run-id.js';

/**
 * Test databases on real servers are dropped here, once every test file has
 * finished, rather than by each file: dropping a database WITH (FORCE) while
 * a pool of that file is still closing its sockets made the terminated
 * connection surface as an uncaught error in an unrelated test. Only this
 * run's databases: a second suite on the same server keeps its own.
 */
async function dropTestDatabases(): Promise<void> {
  const servers = new Set([process.env.TEST_STOCK_DATABASE_URL, process.env.TEST_USER_DATABASE_URL].filter(Boolean) as string[]);
  for (const url of servers) {
    const admin = new pg.Client({ connectionString: url });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      const pattern = `${testDatabasePrefix().replaceAll('_', '\\_')}%`;
      const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [pattern]);
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}

export async function setup(): Promise<void> {
  // Forked test workers inherit the environment, so every file names its databases for this run.
  process.env[TEST_RUN_VARIABLE] ??= randomBytes(4).toString('hex');
  // Once for the run, before the files start side by side (each would otherwise make its own until one is saved).
  if (!process.env.TEST_STOCK_DATABASE_URL || !process.env.TEST_USER_DATABASE_URL) await ensurePgliteTemplate();
}

export async function teardown(): Promise<void> {
  await dropTestDatabases();
  const prefix = pgliteTemplatePrefix();
  for (const name of await readdir(tmpdir())) if (name.startsWith(prefix)) await rm(join(tmpdir(), name), { force: true });
}
