import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlExecutor } from './sql-executor.js';

export interface MigrationFile {
  name: string;
  sql: string;
  /** sha256 of the file, as `prisma migrate deploy` records it. */
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

// Any fixed number: serialises migrators of several processes on one database.
const MIGRATION_LOCK_KEY = 72_707_369;

// The same table `prisma migrate deploy` creates, so either tool can take over.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

export function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new MigrationError(`Migrations folder ${dir} does not exist`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    });
}

async function readApplied(sql: SqlExecutor): Promise<Map<string, AppliedRow>> {
  const rows = await sql.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  return new Map(rows.map((row) => [row.migration_name, row]));
}

function checkHistory(files: MigrationFile[], applied: Map<string, AppliedRow>): void {
  for (const file of files) {
    const row = applied.get(file.name);
    if (!row) continue;
    if (row.finished_at === null) {
      throw new MigrationError(
        `Migration ${file.name} started but never finished; fix the database by hand, then mark it rolled back`,
      );
    }
    if (row.checksum !== file.checksum) {
      throw new MigrationError(
        `Migration ${file.name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk); add a new migration instead of editing an applied one`,
      );
    }
  }
}

/**
 * Applies every migration in `dir` that the database has not applied yet, each
 * in its own transaction together with its `_prisma_migrations` row, so a
 * failing migration leaves no trace. Refuses to run when an applied migration's
 * file changed. Safe to run from several processes at once.
 */
export async function migrate(sql: SqlExecutor, dir: string): Promise<MigrationReport> {
  const files = readMigrations(dir);
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(CREATE_MIGRATIONS_TABLE);
  });
  checkHistory(files, await readApplied(sql));

  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const file of files) {
    const wasApplied = await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      // Re-read under the lock: another process may have applied it meanwhile.
      const applied = await readApplied(tx);
      checkHistory([file], applied);
      if (applied.has(file.name)) return true;
      await tx.exec(file.sql);
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), file.checksum, file.name],
      );
      return false;
    });
    (wasApplied ? report.alreadyApplied : report.applied).push(file.name);
  }
  return report;
}
