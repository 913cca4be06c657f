// Engineered features of a daily history, one row per session, oldest first. Pure and plain data in and out, so it
// runs the same inline or in a worker (src/workers/feature-worker.ts). The moving averages, RSI, MACD, Bollinger
// bands and ATR come from the indicator engine; the rest is computed here.
import { atr, bollinger, macd, rsi, sma } from '../../indicator/engine/series.js';

/** Bump when a definition changes: rows are stored per version, so a new version is computed alongside the old. */
export const FEATURE_VERSION = 1;

export const FEATURE_NAMES = [
  'return1',
  'return5',
  'return20',
  'volatility20',
  'rsi14',
  'closeSma20',
  'closeSma50',
  'sma50Sma200',
  'bollingerPosition',
  'macd',
  'macdSignal',
  'macdHistogram',
  'atr14',
  'volumeZ20',
  'lagReturn1',
  'lagReturn2',
  'lagReturn3',
  'lagReturn4',
  'lagReturn5',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** The stored column of each feature. */
export const FEATURE_COLUMNS: Record<FeatureName, string> = {
  return1: 'return_1',
  return5: 'return_5',
  return20: 'return_20',
  volatility20: 'volatility_20',
  rsi14: 'rsi14',
  closeSma20: 'close_sma20',
  closeSma50: 'close_sma50',
  sma50Sma200: 'sma50_sma200',
  bollingerPosition: 'bollinger_position',
  macd: 'macd',
  macdSignal: 'macd_signal',
  macdHistogram: 'macd_histogram',
  atr14: 'atr14',
  volumeZ20: 'volume_z20',
  lagReturn1: 'lag_return_1',
  lagReturn2: 'lag_return_2',
  lagReturn3: 'lag_return_3',
  lagReturn4: 'lag_return_4',
  lagReturn5: 'lag_return_5',
};

/**
 * Sessions of history a symbol's computation starts from when it resumes after its last stored row. SMA200 needs 200;
 * the recursive ones (EMA 12/26/9, Wilder's RSI and ATR) forget their seed by a factor of at most 25/27 a session,
 * (25/27)^600 < 1e-19, so a resumed run equals a recompute from the first candle to far below the float precision.
 */
export const FEATURE_LOOKBACK = 600;

export const TRADING_DAYS_PER_YEAR = 252;

/** One symbol's daily candles as columns, oldest first. */
export interface FeatureInput {
  ts: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

export type FeatureRow = { ts: number } & Record<FeatureName, number | null>;

/** Sample standard deviation (n - 1) of values[from..to]. */
function sampleStdDev(values: readonly number[], from: number, to: number): number {
  const n = to - from + 1;
  let sum = 0;
  for (let i = from; i <= to; i++) sum += values[i]!;
  const mean = sum / n;
  let squares = 0;
  for (let i = from; i <= to; i++) squares += (values[i]! - mean) ** 2;
  return Math.sqrt(squares / (n - 1));
}

const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);

/**
 * Definitions (t is the session, c its close):
 * returnK = c[t] / c[t-K] - 1; volatility20 = sample stdev of the 20 log returns ln(c[i]/c[i-1]) ending at t, times
 * sqrt(252); closeSmaN = c / SMA_N; sma50Sma200 = SMA50 / SMA200; bollingerPosition = (c - lower) / (upper - lower) of
 * the 20-session, 2 sigma bands (null when the band is flat); MACD 12/26/9 and ATR14 as the indicator engine;
 * volumeZ20 = (v - mean) / sample stdev of the 20 volumes ending at t (null when they are all equal);
 * lagReturnK = return1 at t-K. Null where a feature is not defined yet.
 */
export function computeFeatures(input: FeatureInput): FeatureRow[] {
  const { close, volume } = input;
  const n = close.length;
  const sma20 = sma(close, 20);
  const sma50 = sma(close, 50);
  const sma200 = sma(close, 200);
  const rsi14 = rsi(close, 14);
  const lines = macd(close, 12, 26, 9);
  const bands = bollinger(close, 20, 2);
  const atr14 = atr(input.high, input.low, close, 14);
  const logReturns = close.map((c, i) => (i === 0 ? 0 : Math.log(c / close[i - 1]!)));
  const ret = (i: number, k: number) => (i >= k ? close[i]! / close[i - k]! - 1 : null);
  const rows: FeatureRow[] = [];
  for (let i = 0; i < n; i++) {
    const width = bands.upper[i] != null && bands.lower[i] != null ? bands.upper[i]! - bands.lower[i]! : null;
    const volumeSd = i >= 19 ? sampleStdDev(volume, i - 19, i) : null;
    let volumeMean = 0;
    if (i >= 19) for (let j = i - 19; j <= i; j++) volumeMean += volume[j]! / 20;
    rows.push({
      ts: input.ts[i]!,
      return1: ret(i, 1),
      return5: ret(i, 5),
      return20: ret(i, 20),
      volatility20: i >= 20 ? sampleStdDev(logReturns, i - 19, i) * Math.sqrt(TRADING_DAYS_PER_YEAR) : null,
      rsi14: rsi14[i] ?? null,
      closeSma20: ratio(close[i]!, sma20[i] ?? null),
      closeSma50: ratio(close[i]!, sma50[i] ?? null),
      sma50Sma200: ratio(sma50[i] ?? null, sma200[i] ?? null),
      bollingerPosition: width === null || width === 0 ? null : (close[i]! - bands.lower[i]!) / width,
      macd: lines.macd[i] ?? null,
      macdSignal: lines.signal[i] ?? null,
      macdHistogram: lines.histogram[i] ?? null,
      atr14: atr14[i] ?? null,
      volumeZ20: volumeSd === null || volumeSd === 0 ? null : (volume[i]! - volumeMean) / volumeSd,
      lagReturn1: ret(i - 1, 1),
      lagReturn2: ret(i - 2, 1),
      lagReturn3: ret(i - 3, 1),
      lagReturn4: ret(i - 4, 1),
      lagReturn5: ret(i - 5, 1),
    });
  }
  return rows;
}

export interface FeatureTask extends FeatureInput {
  symbol: string;
  /** Rows older than this (epoch ms) are computed but not returned (they are stored already). */
  writeAfter: number;
}

export interface FeatureResult {
  symbol: string;
  rows: FeatureRow[];
}

export function computeFeatureTasks(tasks: readonly FeatureTask[]): FeatureResult[] {
  return tasks.map((task) => ({ symbol: task.symbol, rows: computeFeatures(task).filter((row) => row.ts > task.writeAfter) }));
}
