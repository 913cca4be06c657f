import { appendFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrate, MigrationError, readMigrations, type MigrationReport } from '../../src/db/migrator.js';
import { createPgExecutor } from '../../src/db/sql-executor.js';
import { openTestDatabase, testServerUrl, type TestDatabase } from '../support/databases.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

// openTestDatabase migrates with the real migrations; these tests want a bare one, so they use the user DB
// and check only the fixture tables.
let db: TestDatabase;
afterEach(() => db?.close());

const realPostgres = testServerUrl('user') !== undefined;
if (!realPostgres) console.warn('migrator.test: "two processes migrate at once" needs two connections to real PostgreSQL (TEST_USER_DATABASE_URL); skipped on PGlite');

/** Any key: the barrier lives in the test's own fresh database. */
const BARRIER_KEY = 424_242;

/** Two migrations of round `round`; the first waits at the test's barrier before it creates its table. */
function racingMigrations(round: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'mg-race-migrations-'));
  const write = (name: string, sql: string) => {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  };
  write(`2026030${round}000000_create_race`, `SELECT pg_advisory_xact_lock_shared(${BARRIER_KEY});\nCREATE TABLE race_${round} (id int PRIMARY KEY);\n`);
  write(`2026030${round}000001_fill_race`, `INSERT INTO race_${round} (id) VALUES (1);\n`);
  return dir;
}

/** Backends of this database waiting for a lock (an advisory lock or a row). */
async function lockWaiters(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(DISTINCT l.pid)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE NOT l.granted AND a.datname = current_database()`,
  );
  return rows[0]!.n;
}

async function tables(): Promise<string[]> {
  const rows = await db.sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('note', 'half_done') ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

describe('migrate', () => {
  it('applies migrations in name order and records them as prisma migrate deploy does', async () => {
    db = await openTestDatabase('user');
    const report = await migrate(db.sql, fixture('ok'));
    expect(report.applied).toEqual(['20260101000000_create_note', '20260102000000_add_tag']);
    const rows = await db.sql.query<Record<string, unknown>>(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at, applied_steps_count
       FROM _prisma_migrations WHERE migration_name LIKE '202601%' ORDER BY migration_name`,
    );
    const files = readMigrations(fixture('ok'));
    expect(rows).toEqual(
      files.map((file) => ({ migration_name: file.name, checksum: file.checksum, finished: true, rolled_back_at: null, applied_steps_count: 1 })),
    );
    expect(files[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
    await db.sql.query(`INSERT INTO note (body, tag) VALUES ('hello', 'x')`);
  });

  it('is idempotent: a second run applies nothing and keeps the data', async () => {
    db = await openTestDatabase('user');
    await migrate(db.sql, fixture('ok'));
    await db.sql.query(`INSERT INTO note (body) VALUES ('kept')`);
    const again = await migrate(db.sql, fixture('ok'));
    expect(again).toEqual({ applied: [], alreadyApplied: ['20260101000000_create_note', '20260102000000_add_tag'] });
    expect(await db.sql.query(`SELECT body FROM note`)).toEqual([{ body: 'kept' }]);
  });

  it('rolls a failing migration back completely and records nothing for it', async () => {
    db = await openTestDatabase('user');
    await expect(migrate(db.sql, fixture('not-ok'))).rejects.toThrow(/no_such_table/);
    expect(await tables()).toEqual(['note']);
    const recorded = await db.sql.query<{ migration_name: string }>(`SELECT migration_name FROM _prisma_migrations WHERE migration_name LIKE '202601%'`);
    expect(recorded.map((row) => row.migration_name)).toEqual(['20260101000000_create_note']);
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    db = await openTestDatabase('user');
    const dir = mkdtempSync(join(tmpdir(), 'mg-migrations-'));
    cpSync(fixture('ok'), dir, { recursive: true });
    await migrate(db.sql, dir);
    appendFileSync(join(dir, '20260101000000_create_note', 'migration.sql'), '-- edited\n');
    const attempt = migrate(db.sql, dir);
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(migrate(db.sql, dir)).rejects.toThrow(/20260101000000_create_note was changed after it was applied/);
  });

  it.skipIf(!realPostgres)('lets two processes migrate the same database at once without applying anything twice, round after round', async () => {
    db = await openTestDatabase('user');
    // Two pools are two processes as far as PostgreSQL can tell: separate connections, no shared state.
    const pools = [new pg.Pool({ connectionString: db.url, max: 2 }), new pg.Pool({ connectionString: db.url, max: 2 })];
    const [first, second] = pools.map((pool) => createPgExecutor(pool));
    const barrier = new pg.Client({ connectionString: db.url });
    await barrier.connect();
    try {
      for (let round = 0; round < 5; round++) {
        const dir = racingMigrations(round);
        // The first migration waits at a barrier the test holds, until both migrators are blocked:
        // one at the barrier and the other at the migration lock, or, without the lock, both at the barrier.
        await barrier.query('SELECT pg_advisory_lock($1)', [BARRIER_KEY]);
        let settled = 0;
        const runs = [first!, second!].map((sql) => migrate(sql, dir).finally(() => settled++));
        const outcomes = Promise.allSettled(runs);
        while (settled === 0 && (await lockWaiters(barrier)) < 2) await new Promise((resolve) => setTimeout(resolve, 5));
        await barrier.query('SELECT pg_advisory_unlock($1)', [BARRIER_KEY]);
        const [a, b] = await outcomes;
        expect({ round, a: a.status, b: b.status }).toEqual({ round, a: 'fulfilled', b: 'fulfilled' });
        const reports = [a, b].map((outcome) => (outcome as PromiseFulfilledResult<MigrationReport>).value);
        const names = readMigrations(dir).map((file) => file.name);
        expect([...reports[0]!.applied, ...reports[1]!.applied].sort()).toEqual(names);
        const recorded = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM _prisma_migrations WHERE migration_name = ANY($1)`, [names]);
        expect(recorded[0]!.n).toBe(names.length);
      }
    } finally {
      await barrier.end();
      await Promise.all([first!.close(), second!.close()]);
    }
  });

  it('says which folder is missing', async () => {
    db = await openTestDatabase('user');
    await expect(migrate(db.sql, '/no/such/dir')).rejects.toThrow('Migrations folder /no/such/dir does not exist');
  });
});
