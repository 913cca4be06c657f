// Batch computation over a whole history, one array pass per indicator. The
// parameterised primitives are exported for tests against published worked
// examples; computeSeries fixes the periods the app serves.
import {
  emaStep,
  gainOf,
  lossOf,
  meanOfMicros,
  obvStep,
  populationStdDev,
  rsiOf,
  toMicros,
  trueRange,
  wilderStep,
  type SmoothingStep,
} from './math.js';
import { PERIODS, assertFiniteCandle, timestampOf, type IndicatorCandle, type IndicatorValues } from './types.js';

type Series = (number | null)[];

export function sma(values: readonly number[], n: number): Series {
  const out: Series = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += toMicros(values[i]);
    if (i >= n) sum -= toMicros(values[i - n]);
    out.push(i >= n - 1 ? meanOfMicros(sum, n) : null);
  }
  return out;
}

/** A recursive average seeded with the simple mean of its first n inputs; null before that. */
export function smoothed(values: readonly number[], n: number, step: SmoothingStep): Series {
  const out: Series = [];
  let sum = 0;
  let current: number | null = null;
  for (let i = 0; i < values.length; i++) {
    if (current !== null) {
      current = step(current, values[i], n);
    } else {
      sum += values[i];
      if (i === n - 1) current = sum / n;
    }
    out.push(current);
  }
  return out;
}

export function ema(values: readonly number[], n: number): Series {
  return smoothed(values, n, emaStep);
}

/** Wilder's RSI: first value at index n (n changes need n + 1 closes). */
export function rsi(closes: readonly number[], n: number): Series {
  if (closes.length === 0) return [];
  const changes = closes.slice(1).map((close, i) => close - closes[i]);
  const gains = smoothed(changes.map(gainOf), n, wilderStep);
  const losses = smoothed(changes.map(lossOf), n, wilderStep);
  return [null, ...gains.map((gain, i) => (gain === null ? null : rsiOf(gain, losses[i]!)))];
}

/** Wilder's ATR: first value at index n - 1, the mean of the first n true ranges. */
export function atr(highs: readonly number[], lows: readonly number[], closes: readonly number[], n: number): Series {
  const ranges = highs.map((high, i) => trueRange(high, lows[i], i > 0 ? closes[i - 1] : null));
  return smoothed(ranges, n, wilderStep);
}

export function macd(closes: readonly number[], fast: number, slow: number, signalPeriod: number) {
  const fastEma = ema(closes, fast);
  const slowEma = ema(closes, slow);
  const line: Series = closes.map((_, i) => (fastEma[i] != null && slowEma[i] != null ? fastEma[i]! - slowEma[i]! : null));
  const start = line.findIndex((value) => value !== null);
  const tail = start < 0 ? [] : smoothed(line.slice(start) as number[], signalPeriod, emaStep);
  const signal: Series = line.map((_, i) => (start >= 0 && i >= start ? tail[i - start] : null));
  const histogram: Series = line.map((value, i) => (value !== null && signal[i] !== null ? value - signal[i]! : null));
  return { macd: line, signal, histogram };
}

export function bollinger(closes: readonly number[], n: number, deviations: number) {
  const middle = sma(closes, n);
  const upper: Series = [];
  const lower: Series = [];
  middle.forEach((mean, i) => {
    if (mean === null) return void (upper.push(null), lower.push(null));
    const sd = populationStdDev(closes.slice(i - n + 1, i + 1), mean);
    upper.push(mean + deviations * sd);
    lower.push(mean - deviations * sd);
  });
  return { upper, middle, lower };
}

export function obv(closes: readonly number[], volumes: readonly number[]): number[] {
  const out: number[] = [];
  closes.forEach((close, i) => out.push(i === 0 ? volumes[0] : obvStep(out[i - 1], close, closes[i - 1], volumes[i])));
  return out;
}

/**
 * Candles in time order; a run of candles with one timestamp is one candle,
 * revised, so the last of them wins (as IndicatorState.push does).
 */
function distinctCandles(candles: readonly IndicatorCandle[]): { timestamp: number; candle: IndicatorCandle }[] {
  const out: { timestamp: number; candle: IndicatorCandle }[] = [];
  for (const candle of candles) {
    assertFiniteCandle(candle);
    const timestamp = timestampOf(candle);
    const last = out.at(-1);
    if (last && timestamp < last.timestamp) throw new RangeError('candles must be in ascending time order');
    if (last && timestamp === last.timestamp) last.candle = candle;
    else out.push({ timestamp, candle });
  }
  return out;
}

/** Every indicator at every candle of a history given oldest first. */
export function computeSeries(candles: readonly IndicatorCandle[]): IndicatorValues[] {
  const rows = distinctCandles(candles);
  const closes = rows.map((r) => r.candle.close);
  const highs = rows.map((r) => r.candle.high);
  const lows = rows.map((r) => r.candle.low);
  const [sma20, sma50, sma200] = PERIODS.sma.map((n) => sma(closes, n));
  const ema12 = ema(closes, PERIODS.emaFast);
  const ema26 = ema(closes, PERIODS.emaSlow);
  const macdLines = macd(closes, PERIODS.emaFast, PERIODS.emaSlow, PERIODS.macdSignal);
  const bands = bollinger(closes, PERIODS.bollinger, PERIODS.bollingerDeviations);
  const rsi14 = rsi(closes, PERIODS.rsi);
  const atr14 = atr(highs, lows, closes, PERIODS.atr);
  const onBalance = obv(closes, rows.map((r) => r.candle.volume));
  return rows.map((row, i) => ({
    timestamp: row.timestamp,
    sma20: sma20[i],
    sma50: sma50[i],
    sma200: sma200[i],
    ema12: ema12[i],
    ema26: ema26[i],
    rsi14: rsi14[i],
    macd: macdLines.macd[i],
    macdSignal: macdLines.signal[i],
    macdHistogram: macdLines.histogram[i],
    bollingerUpper: bands.upper[i],
    bollingerMiddle: bands.middle[i],
    bollingerLower: bands.lower[i],
    atr14: atr14[i],
    obv: onBalance[i],
  }));
}
