import { ensureStockPricePartitions } from '../../db/partitions.js';
import type { SqlExecutor } from '../../db/sql-executor.js';

/** Months (YYYY-MM, UTC) already made sure of, per database, for this process. */
const ensuredMonths = new WeakMap<SqlExecutor, Set<string>>();

function monthKey(year: number, month: number): string {
  return `${year}-${String(month + 1).padStart(2, '0')}`;
}

/** Every UTC month from `from` to `to`, both included. */
export function monthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  let year = from.getUTCFullYear();
  let month = from.getUTCMonth();
  while (year < to.getUTCFullYear() || (year === to.getUTCFullYear() && month <= to.getUTCMonth())) {
    months.push(monthKey(year, month));
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
  return months;
}

/**
 * Makes sure stock_price has monthly partitions for [from, to] before rows for
 * those months are written (else they pile up in the default partition). Asks
 * the database at most once per month per process; each call that does runs in
 * its own short transaction, as the migration's function asks.
 * Returns whether the database was asked.
 */
export async function ensureMonths(sql: SqlExecutor, from: Date, to: Date): Promise<boolean> {
  let seen = ensuredMonths.get(sql);
  if (!seen) ensuredMonths.set(sql, (seen = new Set()));
  const months = monthsBetween(from, to);
  if (months.every((m) => seen.has(m))) return false;
  await sql.transaction((tx) => ensureStockPricePartitions(tx, from, to));
  for (const m of months) seen.add(m);
  return true;
}

/** The earliest and latest of some dates, or null for none. */
export function dateSpan(dates: Iterable<Date>): { from: Date; to: Date } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const d of dates) {
    const t = d.getTime();
    if (t < min) min = t;
    if (t > max) max = t;
  }
  return min === Infinity ? null : { from: new Date(min), to: new Date(max) };
}
