// Keeps stock_price from growing without bound: MINUTE candles live 3 months,
// HOUR candles a year, DAY candles forever. Monthly partitions hold every
// interval (DAY rows included), so whole partitions cannot be dropped; rows are
// deleted by interval and ts, which prunes to the expired partitions.

import type { SqlExecutor } from '../../db/sql-executor.js';

export const RETENTION_MONTHS = { MINUTE: 3, HOUR: 12 } as const;

export interface PruneResult {
  minute: number;
  hour: number;
  /** Candles older than these were deleted. */
  minuteCutoff: Date;
  hourCutoff: Date;
}

/** The same instant `months` calendar months earlier (UTC), clamped to the month's last day. */
export function monthsBefore(now: Date, months: number): Date {
  const target = new Date(now.getTime());
  const day = now.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

async function deleteOlder(sql: SqlExecutor, interval: 'MINUTE' | 'HOUR', cutoff: Date): Promise<number> {
  const [row] = await sql.query<{ deleted: number | string }>(
    `WITH gone AS (
       DELETE FROM "stock_price" WHERE "interval" = '${interval}'::candle_interval AND "ts" < $1::timestamptz RETURNING 1
     ) SELECT count(*)::int AS deleted FROM gone`,
    [cutoff.toISOString()],
  );
  return Number(row?.deleted ?? 0);
}

/** Deletes expired MINUTE and HOUR candles; returns how many of each went. */
export async function pruneCandles(sql: SqlExecutor, now: Date = new Date()): Promise<PruneResult> {
  const minuteCutoff = monthsBefore(now, RETENTION_MONTHS.MINUTE);
  const hourCutoff = monthsBefore(now, RETENTION_MONTHS.HOUR);
  const minute = await deleteOlder(sql, 'MINUTE', minuteCutoff);
  const hour = await deleteOlder(sql, 'HOUR', hourCutoff);
  return { minute, hour, minuteCutoff, hourCutoff };
}
