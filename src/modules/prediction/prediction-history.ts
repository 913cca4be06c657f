// The training and prediction jobs' input: the largest active stocks and their daily history as SeriesWindows, closes
// with the engineered features computed in memory by the feature engine (the stored feature rows may lag behind).
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SqlExecutor } from '../../db/sql-executor.js';
import { computeFeatures, FEATURE_NAMES } from './features/feature-engine.js';
import type { SeriesWindow } from './forecaster.js';

/** Active stocks and ETFs (no FX pairs) by market cap, largest first; ties by symbol. */
export async function largestSymbols(sql: SqlExecutor, limit: number): Promise<string[]> {
  const rows = await sql.query<{ symbol: string }>(
    `SELECT symbol FROM stock WHERE is_active AND asset_class <> 'FX' AND market_cap IS NOT NULL
     ORDER BY market_cap DESC, symbol LIMIT $1`,
    [limit],
  );
  return rows.map((row) => row.symbol);
}

interface CandleRow {
  symbol: string;
  day: string;
  ms: string | number;
  high: string | number;
  low: string | number;
  close: string | number;
  volume: string | number;
}

/** A window with the instant of its last candle (what a prediction is "as of"). */
export interface HistoryWindow extends SeriesWindow {
  lastTs: number;
}

/**
 * The features the models are given: every engineered one but SMA50/SMA200, which needs 200 sessions before its
 * first value and would leave a backtest fold on two years of history with no complete 90-session training row.
 */
export const MODEL_FEATURES = FEATURE_NAMES.filter((name) => name !== 'sma50Sma200');

export interface HistoryOptions {
  /** The latest sessions kept per symbol. */
  sessions: number;
  /** Only candles at or before this instant (a backtest or a no-look-ahead check); default all. */
  asOf?: Date;
}

/** Symbols per candle statement: on the embedded default a statement runs on the API's thread, so big reads are sliced. */
export const SYMBOLS_PER_READ = 10;

/** The windows of every symbol with DAY candles (others are left out), a few symbols per statement with a yield between. */
export async function loadWindows(sql: SqlExecutor, symbols: readonly string[], options: HistoryOptions): Promise<HistoryWindow[]> {
  const windows: HistoryWindow[] = [];
  for (let i = 0; i < symbols.length; i += SYMBOLS_PER_READ) {
    if (i > 0) await nextTurn();
    windows.push(...(await loadWindowsOnce(sql, symbols.slice(i, i + SYMBOLS_PER_READ), options)));
  }
  return windows;
}

async function loadWindowsOnce(sql: SqlExecutor, symbols: readonly string[], options: HistoryOptions): Promise<HistoryWindow[]> {
  if (symbols.length === 0) return [];
  const rows = await sql.query<CandleRow>(
    `SELECT symbol, day, ms, high, low, close, volume FROM (
       SELECT symbol, to_char(ts AT TIME ZONE 'America/New_York', 'YYYY-MM-DD') AS day,
              (extract(epoch FROM ts) * 1000)::float8 AS ms, high, low, close, volume, ts,
              row_number() OVER (PARTITION BY symbol ORDER BY ts DESC) AS recent
       FROM stock_price
       WHERE interval = 'DAY'::candle_interval AND symbol = ANY($1::varchar[]) AND ($3::timestamptz IS NULL OR ts <= $3::timestamptz)
     ) c WHERE recent <= $2 ORDER BY symbol, ts`,
    [[...symbols], options.sessions, options.asOf?.toISOString() ?? null],
  );
  const bySymbol = new Map<string, CandleRow[]>();
  for (const row of rows) {
    const list = bySymbol.get(row.symbol) ?? [];
    list.push(row);
    bySymbol.set(row.symbol, list);
  }
  return symbols.filter((symbol) => bySymbol.has(symbol)).map((symbol) => windowOf(symbol, bySymbol.get(symbol)!));
}

/** Candles (oldest first) into a window; features NaN where the engine has none yet. */
export function windowOf(symbol: string, candles: readonly CandleRow[]): HistoryWindow {
  const input = {
    ts: candles.map((c) => Number(c.ms)),
    high: candles.map((c) => Number(c.high)),
    low: candles.map((c) => Number(c.low)),
    close: candles.map((c) => Number(c.close)),
    volume: candles.map((c) => Number(c.volume)),
  };
  const rows = computeFeatures(input);
  return {
    symbol,
    dates: candles.map((c) => c.day),
    closes: input.close,
    features: rows.map((row) => MODEL_FEATURES.map((name) => row[name] ?? Number.NaN)),
    featureNames: [...MODEL_FEATURES],
    lastTs: input.ts.at(-1)!,
  };
}
