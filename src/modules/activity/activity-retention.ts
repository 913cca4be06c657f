import type { ActivityConfig } from '../../config.js';
import type { SqlExecutor } from '../../db/sql-executor.js';
import { ACTIVITY_TABLES, type ActivityTable } from './activity-rows.js';

const DAY_MS = 24 * 3600 * 1000;
const MONTH_MS = 31 * DAY_MS;

const RETENTION_KEY: Record<ActivityTable, keyof ActivityConfig['retentionDays']> = {
  system_logs: 'system',
  performance_logs: 'performance',
  error_logs: 'error',
  user_action_logs: 'userAction',
};

/**
 * Monthly partitions of every activity table and of trading_events from last month to two months ahead;
 * returns how many were created. trading_events lives in the user database's own schema (unqualified: the
 * embedded instance names that schema user_data), the activity tables in "activity".
 */
export async function ensureActivityPartitions(sql: SqlExecutor, now = new Date()): Promise<number> {
  const from = new Date(now.getTime() - MONTH_MS).toISOString();
  const to = new Date(now.getTime() + 2 * MONTH_MS).toISOString();
  let created = 0;
  for (const table of ACTIVITY_TABLES) {
    // One short transaction per table: the function locks the parent while it attaches.
    const [row] = await sql.query<{ created: number }>('SELECT activity.ensure_partitions($1, $2::timestamptz, $3::timestamptz) AS created', [table, from, to]);
    created += Number(row?.created ?? 0);
  }
  const [row] = await sql.query<{ created: number }>('SELECT ensure_trading_events_partitions($1::timestamptz, $2::timestamptz) AS created', [from, to]);
  return created + Number(row?.created ?? 0);
}

export interface RetentionReport {
  /** Partitions dropped, e.g. activity.system_logs_y2026m09. */
  dropped: string[];
  /** Rows deleted from the default partitions (rows that no month covered). */
  deletedFromDefault: number;
}

/** The first instant after the month a partition named <table>_yYYYYmMM covers, or null for another name. */
function partitionEnd(table: string, name: string): Date | null {
  const match = new RegExp(`^${table}_y(\\d{4})m(\\d{2})$`).exec(name);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]), 1)) : null;
}

/**
 * Drops every monthly partition whose whole month is older than its table's
 * retention (so rows live at least that many days, at most a month longer)
 * and deletes expired rows from the default partitions. trading_events is
 * partitioned the same way but kept forever: it is not in ACTIVITY_TABLES,
 * and the partition names matched here start with an activity table's name.
 */
export async function dropExpiredActivity(sql: SqlExecutor, retentionDays: ActivityConfig['retentionDays'], now = new Date()): Promise<RetentionReport> {
  const report: RetentionReport = { dropped: [], deletedFromDefault: 0 };
  for (const table of ACTIVITY_TABLES) {
    const cutoff = new Date(now.getTime() - retentionDays[RETENTION_KEY[table]] * DAY_MS);
    const partitions = await sql.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = to_regclass($1)`,
      [`activity.${table}`],
    );
    for (const { name } of partitions) {
      const end = partitionEnd(table, name);
      if (!end || end > cutoff) continue;
      await sql.exec(`DROP TABLE IF EXISTS activity."${name}"`);
      report.dropped.push(`activity.${name}`);
    }
    const [row] = await sql.query<{ n: number }>(
      `WITH gone AS (DELETE FROM activity."${table}_default" WHERE ts < $1::timestamptz RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [cutoff.toISOString()],
    );
    report.deletedFromDefault += Number(row?.n ?? 0);
  }
  report.dropped.sort();
  return report;
}
