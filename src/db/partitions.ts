import type { SqlExecutor } from './sql-executor.js';

const MONTH_MS = 31 * 24 * 3600 * 1000;

/**
 * Makes sure stock_price has monthly partitions from `from` to `to` (the
 * migration's ensure_stock_price_partitions; rows already sitting in the
 * default partition are moved). Returns how many partitions were created.
 */
export async function ensureStockPricePartitions(sql: SqlExecutor, from: Date, to: Date): Promise<number> {
  const [row] = await sql.query<{ created: number }>('SELECT ensure_stock_price_partitions($1::timestamptz, $2::timestamptz) AS created', [
    from.toISOString(),
    to.toISOString(),
  ]);
  return Number(row?.created ?? 0);
}

/** The window kept ready at start-up and by the nightly job: last month to three months ahead. */
export function upcomingPartitionWindow(now = new Date()): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - MONTH_MS), to: new Date(now.getTime() + 3 * MONTH_MS) };
}
