import { cpSync, mkdtempSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MigrationError, readMigrations } from '../../src/db/migrator.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

// openTestDatabase migrates with the real migrations; these tests want a bare one, so they use the user DB
// and check only the fixture tables.
let db: TestDatabase;
afterEach(() => db?.close());

async function tables(): Promise<string[]> {
  const rows = await db.sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('note', 'half_done') ORDER BY 1`,
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

  it('lets two processes migrate the same database at once without applying anything twice', async () => {
    db = await openTestDatabase('user');
    const [a, b] = await Promise.all([migrate(db.sql, fixture('ok')), migrate(db.sql, fixture('ok'))]);
    expect([...a.applied, ...b.applied].sort()).toEqual(['20260101000000_create_note', '20260102000000_add_tag']);
  });

  it('says which folder is missing', async () => {
    db = await openTestDatabase('user');
    await expect(migrate(db.sql, '/no/such/dir')).rejects.toThrow('Migrations folder /no/such/dir does not exist');
  });
});
