// The seed's candles as parallel arrays of strings, one array per column, so one
// unnest() statement inserts a whole chunk on node-postgres and PGlite alike.

export type SeedInterval = 'DAY' | 'HOUR' | 'MINUTE';
export const SEED_INTERVALS: readonly SeedInterval[] = ['DAY', 'HOUR', 'MINUTE'];
/** The only interval texts that reach the SQL (as literals: PGlite cannot bind an enum array). */
export const INTERVAL_LITERALS: Readonly<Record<SeedInterval, string>> = {
  DAY: `'DAY'::candle_interval`,
  HOUR: `'HOUR'::candle_interval`,
  MINUTE: `'MINUTE'::candle_interval`,
};

export interface CandleColumns {
  symbol: string[];
  ts: string[];
  open: string[];
  high: string[];
  low: string[];
  close: string[];
  adjClose: (string | null)[];
  volume: string[];
}

export function emptyColumns(): CandleColumns {
  return { symbol: [], ts: [], open: [], high: [], low: [], close: [], adjClose: [], volume: [] };
}

export function pushCandle(
  columns: CandleColumns,
  symbol: string,
  c: { ts: Date; open: string; high: string; low: string; close: string; adjClose?: string | null; volume: string },
): void {
  columns.symbol.push(symbol);
  columns.ts.push(c.ts.toISOString());
  columns.open.push(c.open);
  columns.high.push(c.high);
  columns.low.push(c.low);
  columns.close.push(c.close);
  columns.adjClose.push(c.adjClose ?? null);
  columns.volume.push(c.volume);
}
