// Hourly and minute candles for the seed's latest sessions, cut from its daily
// candles by the simulated provider's intraday model (a Brownian bridge from
// each day's open to its close inside its range), so a fresh install answers
// `candles(interval: HOUR | MINUTE)` before the live feed has run a session.

import { intradayBars } from '../../providers/simulated-intraday.js';
import type { SqlExecutor } from '../sql-executor.js';
import type { SeedCandle } from './price-path.js';
import { hashString } from './random.js';

export interface IntradaySeedSessions {
  /** Latest sessions that get hourly bars (7 a session). @default 20 */
  readonly hour: number;
  /** Latest sessions that get one-minute bars (390 a session). @default 1 */
  readonly minute: number;
}

export const DEFAULT_INTRADAY_SESSIONS: IntradaySeedSessions = { hour: 20, minute: 1 };

export interface IntradayRows {
  symbol: string[];
  ts: string[];
  open: string[];
  high: string[];
  low: string[];
  close: string[];
  volume: string[];
}

export function emptyIntradayRows(): IntradayRows {
  return { symbol: [], ts: [], open: [], high: [], low: [], close: [], volume: [] };
}

/** Appends the bars of `interval` for the last `sessions` of `days` (oldest first) to `rows`. */
export function appendIntradayBars(rows: IntradayRows, symbol: string, days: readonly SeedCandle[], interval: 'HOUR' | 'MINUTE', sessions: number): void {
  if (sessions <= 0) return;
  // The same seed as SimulatedProvider.history, so a SIMULATED backfill of these days finds them already stored.
  const symbolSeed = hashString(`stock:${symbol}`);
  for (const day of days.slice(-sessions)) {
    for (const bar of intradayBars(day, symbolSeed, interval === 'HOUR' ? 60 : 1)) {
      rows.symbol.push(symbol);
      rows.ts.push(bar.ts.toISOString());
      rows.open.push(bar.open);
      rows.high.push(bar.high);
      rows.low.push(bar.low);
      rows.close.push(bar.close);
      rows.volume.push(bar.volume);
    }
  }
}

/** Inserts what is not stored yet; returns the rows written. `interval` is a literal in the SQL (PGlite cannot bind enum arrays). */
export async function insertIntradayRows(tx: SqlExecutor, interval: 'HOUR' | 'MINUTE', rows: IntradayRows): Promise<number> {
  if (rows.symbol.length === 0) return 0;
  const intervalLiteral = interval === 'HOUR' ? `'HOUR'` : `'MINUTE'`;
  const [row] = await tx.query<{ inserted: number | string }>(
    `WITH ins AS (
       INSERT INTO "stock_price" ("symbol","interval","ts","open","high","low","close","adj_close","volume","source")
       SELECT u.symbol, ${intervalLiteral}::candle_interval, u.ts, u.open, u.high, u.low, u.close, NULL, u.volume, 'seed'
       FROM unnest($1::varchar[], $2::timestamptz[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[], $7::int8[])
         AS u(symbol, ts, open, high, low, close, volume)
       ON CONFLICT DO NOTHING
       RETURNING 1
     ) SELECT count(*)::int AS inserted FROM ins`,
    [rows.symbol, rows.ts, rows.open, rows.high, rows.low, rows.close, rows.volume],
  );
  return Number(row?.inserted ?? 0);
}
