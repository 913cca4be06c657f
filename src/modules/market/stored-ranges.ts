// A repeat backfill skips what is provably stored already: per symbol of a
// chunk, ONE statement reads the stored candles in the chunk's [first, last]
// span (an index range scan, no per-row probe) as a count and an md5 of their
// times; a symbol whose distinct times in the chunk match both exactly is
// stored in full and its rows are left out before any COPY.

import { createHash } from 'node:crypto';
import type { SqlExecutor } from '../../db/sql-executor.js';
import type { CandleIntervalName } from '../../providers/market-data-provider.js';
import { intervalLiteral, type CandleInsertRow } from './candle-sql.js';

function digest(times: readonly number[]): string {
  return createHash('md5').update(times.join(',')).digest('hex');
}

/** One symbol of a chunk: its rows' times (ms), distinct and ascending. */
export interface SymbolTimes {
  symbol: string;
  times: readonly number[];
}

/**
 * Which symbols have every one of their times stored over their span, and whether any other symbol
 * has a stored candle in its span (its rows may then conflict). One statement.
 */
export async function storedInFull(
  sql: SqlExecutor,
  interval: CandleIntervalName,
  symbols: readonly SymbolTimes[],
): Promise<{ full: Set<string>; storedElsewhere: boolean }> {
  const full = new Set<string>();
  if (symbols.length === 0) return { full, storedElsewhere: false };
  const bySymbol = new Map(symbols.map((s) => [s.symbol, s.times]));
  const stored = await sql.query<{ symbol: string; n: number | string; digest: string | null }>(
    `SELECT k.symbol, s.n, s.digest
     FROM unnest($1::varchar[], $2::timestamptz[], $3::timestamptz[]) AS k(symbol, first, last)
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS n,
              md5(string_agg((extract(epoch FROM p.ts) * 1000)::bigint::text, ',' ORDER BY p.ts)) AS digest
       FROM "stock_price" p
       WHERE p.symbol = k.symbol AND p.interval = ${intervalLiteral(interval)} AND p.ts BETWEEN k.first AND k.last
     ) s`,
    [
      symbols.map((s) => s.symbol),
      symbols.map((s) => new Date(s.times[0]!).toISOString()),
      symbols.map((s) => new Date(s.times[s.times.length - 1]!).toISOString()),
    ],
  );
  let storedElsewhere = false;
  for (const row of stored) {
    const times = bySymbol.get(row.symbol)!;
    if (Number(row.n) === times.length && row.digest === digest(times)) full.add(row.symbol);
    else if (Number(row.n) > 0) storedElsewhere = true;
  }
  return { full, storedElsewhere };
}

/**
 * Splits rows into those to load and the count of rows whose symbol is stored in full over the chunk's span.
 * `fresh`: no row left to load has a stored candle in its symbol's span nor a repeat in the chunk.
 */
export async function dropStoredSymbols(
  sql: SqlExecutor,
  interval: CandleIntervalName,
  rows: readonly CandleInsertRow[],
): Promise<{ rows: CandleInsertRow[]; skipped: number; fresh: boolean }> {
  const bySymbol = new Map<string, Set<number>>();
  for (const { symbol, candle } of rows) {
    let times = bySymbol.get(symbol);
    if (!times) bySymbol.set(symbol, (times = new Set()));
    times.add(candle.ts.getTime());
  }
  const symbols = [...bySymbol].map(([symbol, times]) => ({ symbol, times: [...times].sort((a, b) => a - b) }));
  const { full, storedElsewhere } = await storedInFull(sql, interval, symbols);
  const kept = full.size === 0 ? [...rows] : rows.filter((r) => !full.has(r.symbol));
  let distinctKept = 0;
  for (const { symbol, times } of symbols) if (!full.has(symbol)) distinctKept += times.length;
  return { rows: kept, skipped: rows.length - kept.length, fresh: !storedElsewhere && distinctKept === kept.length };
}
