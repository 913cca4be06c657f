// The market scanner's maths over one symbol's candles: pure, so the scan worker (src/workers/scan-worker.ts) and
// tests run the same code. A symbol is scanned on its last bar; each kind's `value` is what the kind ranks by.
import { macd, rsi, sma } from '../indicator/engine/series.js';

export const SCAN_KINDS = [
  'GAINERS',
  'LOSERS',
  'MOST_ACTIVE',
  'UNUSUAL_VOLUME',
  'BREAKOUT',
  'BREAKDOWN',
  'NEW_HIGH',
  'NEW_LOW',
  'OVERBOUGHT',
  'OVERSOLD',
  'MACD_BULLISH_CROSS',
  'MACD_BEARISH_CROSS',
] as const;
export type ScanKindName = (typeof SCAN_KINDS)[number];
export type ScanTimeframeName = 'DAILY' | 'WEEKLY';
export type TrendName = 'UP' | 'DOWN' | 'SIDEWAYS';

/** Kinds whose rank 1 is the smallest value (the biggest loser, the lowest RSI…); the others rank largest first. */
export const ASCENDING_KINDS: ReadonlySet<ScanKindName> = new Set(['LOSERS', 'BREAKDOWN', 'NEW_LOW', 'OVERSOLD', 'MACD_BEARISH_CROSS']);

export const SCAN_RULES = {
  volumeAverageBars: 20,
  unusualVolumeRatio: 2,
  /** BREAKOUT / BREAKDOWN: the close beyond the high (low) of both prior windows. */
  channelBars: [20, 50],
  /** 52 weeks of bars, the current one included. */
  yearBars: { DAILY: 252, WEEKLY: 52 },
  rsiPeriod: 14,
  overbought: 70,
  oversold: 30,
  macd: { fast: 12, slow: 26, signal: 9 },
  trend: { fast: 50, slow: 200, slopeBars: 10 },
} as const;

/** One symbol's candles, oldest first, one per timestamp (epoch ms), as columns: cheap to post to a worker. */
export interface ScanSeries {
  symbol: string;
  ts: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

export interface SymbolScan {
  symbol: string;
  /** The scanned (last) bar's start, epoch ms. */
  barTs: number;
  close: number;
  volume: number;
  /** Last close against the previous bar's close, in percent. */
  changePercent: number;
  /** Last volume over the mean of the 20 bars before it; null without 20 earlier bars or with no volume in them. */
  volumeRatio: number | null;
  /** From SMA 50 against SMA 200 and the SMA 50's slope over 10 bars; null without 210 bars. */
  trend: TrendName | null;
  /** Classic pivot points of the last bar: S1 = 2P - high, R1 = 2P - low, P = (high + low + close) / 3. */
  support: number;
  resistance: number;
  rsi14: number | null;
  macd: number | null;
  macdSignal: number | null;
  /** The kinds this symbol is a hit of, with the value it ranks by. */
  hits: Partial<Record<ScanKindName, number>>;
}

export interface RankedHit {
  kind: ScanKindName;
  /** 1 first in the kind's natural order. */
  rank: number;
  value: number;
  scan: SymbolScan;
}

const DAY_MS = 86_400_000;

/** The Monday (UTC) starting the week of a daily candle's date. */
export function weekStartOf(ts: number): number {
  const day = Math.floor(ts / DAY_MS) * DAY_MS;
  const weekday = new Date(day).getUTCDay();
  return day - ((weekday + 6) % 7) * DAY_MS;
}

/** Weekly bars from daily candles: first open, highest high, lowest low, last close, summed volume; stamped at the week's Monday. */
export function toWeekly(daily: ScanSeries): ScanSeries {
  const out: ScanSeries = { symbol: daily.symbol, ts: [], open: [], high: [], low: [], close: [], volume: [] };
  for (let i = 0; i < daily.ts.length; i++) {
    const week = weekStartOf(daily.ts[i]!);
    const last = out.ts.length - 1;
    if (last >= 0 && out.ts[last] === week) {
      out.high[last] = Math.max(out.high[last]!, daily.high[i]!);
      out.low[last] = Math.min(out.low[last]!, daily.low[i]!);
      out.close[last] = daily.close[i]!;
      out.volume[last] = out.volume[last]! + daily.volume[i]!;
    } else {
      out.ts.push(week);
      out.open.push(daily.open[i]!);
      out.high.push(daily.high[i]!);
      out.low.push(daily.low[i]!);
      out.close.push(daily.close[i]!);
      out.volume.push(daily.volume[i]!);
    }
  }
  return out;
}

function extreme(values: readonly number[], from: number, to: number, pick: (a: number, b: number) => number): number {
  let out = values[from]!;
  for (let i = from + 1; i < to; i++) out = pick(out, values[i]!);
  return out;
}

function trendOf(closes: readonly number[]): TrendName | null {
  const { fast, slow, slopeBars } = SCAN_RULES.trend;
  const last = closes.length - 1;
  if (last - slopeBars < 0) return null;
  const fastSma = sma(closes, fast);
  const slowSma = sma(closes, slow);
  const now = fastSma[last];
  const before = fastSma[last - slopeBars];
  const long = slowSma[last];
  if (now == null || before == null || long == null) return null;
  if (now > long && now > before) return 'UP';
  if (now < long && now < before) return 'DOWN';
  return 'SIDEWAYS';
}

/** Scans one symbol's bars (already in the timeframe's bar size) on its last bar; null with fewer than two bars. */
export function scanBars(series: ScanSeries, timeframe: ScanTimeframeName): SymbolScan | null {
  const n = series.close.length;
  if (n < 2) return null;
  const i = n - 1;
  const { close, high, low, volume } = series;
  const hits: SymbolScan['hits'] = {};
  const changePercent = ((close[i]! - close[i - 1]!) / close[i - 1]!) * 100;
  if (changePercent > 0) hits.GAINERS = changePercent;
  if (changePercent < 0) hits.LOSERS = changePercent;
  if (volume[i]! > 0) hits.MOST_ACTIVE = volume[i]!;

  let volumeRatio: number | null = null;
  const averageBars = SCAN_RULES.volumeAverageBars;
  if (i >= averageBars) {
    let sum = 0;
    for (let j = i - averageBars; j < i; j++) sum += volume[j]!;
    if (sum > 0) volumeRatio = volume[i]! / (sum / averageBars);
  }
  if (volumeRatio !== null && volumeRatio > SCAN_RULES.unusualVolumeRatio) hits.UNUSUAL_VOLUME = volumeRatio;

  const longest = Math.max(...SCAN_RULES.channelBars);
  if (i >= longest) {
    const above = SCAN_RULES.channelBars.every((bars) => close[i]! > extreme(high, i - bars, i, Math.max));
    const below = SCAN_RULES.channelBars.every((bars) => close[i]! < extreme(low, i - bars, i, Math.min));
    if (above) hits.BREAKOUT = (close[i]! / extreme(high, i - longest, i, Math.max) - 1) * 100;
    if (below) hits.BREAKDOWN = (close[i]! / extreme(low, i - longest, i, Math.min) - 1) * 100;
  }

  const yearBars = SCAN_RULES.yearBars[timeframe];
  if (n >= yearBars) {
    const priorHigh = extreme(high, n - yearBars, i, Math.max);
    const priorLow = extreme(low, n - yearBars, i, Math.min);
    if (high[i]! > priorHigh) hits.NEW_HIGH = (high[i]! / priorHigh - 1) * 100;
    if (low[i]! < priorLow) hits.NEW_LOW = (low[i]! / priorLow - 1) * 100;
  }

  const rsi14 = rsi(close, SCAN_RULES.rsiPeriod)[i] ?? null;
  if (rsi14 !== null && rsi14 > SCAN_RULES.overbought) hits.OVERBOUGHT = rsi14;
  if (rsi14 !== null && rsi14 < SCAN_RULES.oversold) hits.OVERSOLD = rsi14;

  const lines = macd(close, SCAN_RULES.macd.fast, SCAN_RULES.macd.slow, SCAN_RULES.macd.signal);
  const [line, signal, previousLine, previousSignal] = [lines.macd[i], lines.signal[i], lines.macd[i - 1], lines.signal[i - 1]];
  if (line != null && signal != null && previousLine != null && previousSignal != null) {
    if (previousLine <= previousSignal && line > signal) hits.MACD_BULLISH_CROSS = line - signal;
    if (previousLine >= previousSignal && line < signal) hits.MACD_BEARISH_CROSS = line - signal;
  }

  const pivot = (high[i]! + low[i]! + close[i]!) / 3;
  return {
    symbol: series.symbol,
    barTs: series.ts[i]!,
    close: close[i]!,
    volume: volume[i]!,
    changePercent,
    volumeRatio,
    trend: trendOf(close),
    support: 2 * pivot - high[i]!,
    resistance: 2 * pivot - low[i]!,
    rsi14,
    macd: line ?? null,
    macdSignal: signal ?? null,
    hits,
  };
}

/** Scans daily candles in the timeframe: as they are for DAILY, aggregated to weeks for WEEKLY. */
export function scanSeries(daily: ScanSeries, timeframe: ScanTimeframeName): SymbolScan | null {
  return scanBars(timeframe === 'WEEKLY' ? toWeekly(daily) : daily, timeframe);
}

/** Scans each symbol; one whose last candle is before `staleBefore` (delisted, halted) is left out. */
export function scanMany(series: readonly ScanSeries[], timeframe: ScanTimeframeName, staleBefore = Number.NEGATIVE_INFINITY): SymbolScan[] {
  const out: SymbolScan[] = [];
  for (const one of series) {
    if (one.ts.length === 0 || one.ts.at(-1)! < staleBefore) continue;
    const scan = scanSeries(one, timeframe);
    if (scan) out.push(scan);
  }
  return out;
}

/** A symbol's candles as one text cell, `ts,open,high,low,close,volume` per candle joined by `;` (scanner.store.ts). */
export interface PackedSeries {
  symbol: string;
  candles: string;
}

/** Unpacks a PackedSeries: done in the scan worker, so the API's thread never parses thousands of candle rows. */
export function unpackSeries(packed: PackedSeries): ScanSeries {
  const series: ScanSeries = { symbol: packed.symbol, ts: [], open: [], high: [], low: [], close: [], volume: [] };
  if (packed.candles === '') return series;
  for (const candle of packed.candles.split(';')) {
    const [ts, open, high, low, close, volume] = candle.split(',');
    series.ts.push(Number(ts));
    series.open.push(Number(open));
    series.high.push(Number(high));
    series.low.push(Number(low));
    series.close.push(Number(close));
    series.volume.push(Number(volume));
  }
  return series;
}

/** Every kind's hits in rank order (ties by symbol), at most `limit` per kind. */
export function rankHits(scans: readonly SymbolScan[], limit = Number.POSITIVE_INFINITY): RankedHit[] {
  const out: RankedHit[] = [];
  for (const kind of SCAN_KINDS) {
    const direction = ASCENDING_KINDS.has(kind) ? 1 : -1;
    const hits = scans
      .filter((scan) => scan.hits[kind] !== undefined)
      .map((scan) => ({ scan, value: scan.hits[kind]! }))
      .sort((a, b) => direction * (a.value - b.value) || (a.scan.symbol < b.scan.symbol ? -1 : a.scan.symbol > b.scan.symbol ? 1 : 0));
    hits.slice(0, limit).forEach((hit, index) => out.push({ kind, rank: index + 1, value: hit.value, scan: hit.scan }));
  }
  return out;
}
