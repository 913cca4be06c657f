// The arithmetic both computeSeries (batch) and IndicatorState (incremental)
// perform. Sharing it, and feeding it the same inputs in the same order, is what
// makes the two paths agree bit for bit rather than to within rounding.

const MICROS = 1_000_000;

/**
 * Prices in millionths (the stock_price column scale), as integers. Running
 * window sums over them are exact, so an O(1) add-the-new, subtract-the-old SMA
 * never drifts from the direct sum of its window, however long it runs. Exact
 * while a 200-candle sum stays below 2^53, i.e. for prices below ~45 million.
 */
export function toMicros(price: number): number {
  return Math.round(price * MICROS);
}

export function meanOfMicros(sumOfMicros: number, n: number): number {
  return sumOfMicros / (n * MICROS);
}

/** EMA with the usual multiplier 2 / (n + 1). */
export function emaStep(previous: number, value: number, n: number): number {
  return previous + (2 / (n + 1)) * (value - previous);
}

/** Wilder's smoothing: an EMA with multiplier 1 / n. */
export function wilderStep(previous: number, value: number, n: number): number {
  return (previous * (n - 1) + value) / n;
}

export type SmoothingStep = (previous: number, value: number, n: number) => number;

export function gainOf(change: number): number {
  return change > 0 ? change : 0;
}

export function lossOf(change: number): number {
  return change < 0 ? -change : 0;
}

/** 100 - 100 / (1 + avgGain / avgLoss); 100 with no losses, 50 on a flat window (no gains either). */
export function rsiOf(averageGain: number, averageLoss: number): number {
  const total = averageGain + averageLoss;
  return total === 0 ? 50 : (100 * averageGain) / total;
}

/** Wilder's true range; the first candle, with no previous close, has just high - low (as ChartSchool's cs-atr). */
export function trueRange(high: number, low: number, previousClose: number | null): number {
  if (previousClose === null) return high - low;
  return Math.max(high - low, Math.abs(high - previousClose), Math.abs(low - previousClose));
}

export function obvStep(previousObv: number, close: number, previousClose: number, volume: number): number {
  if (close > previousClose) return previousObv + volume;
  if (close < previousClose) return previousObv - volume;
  return previousObv;
}

/** Population standard deviation (divide by n, as Bollinger and ChartSchool do) around a known mean. */
export function populationStdDev(window: readonly number[], mean: number): number {
  let squares = 0;
  for (const value of window) squares += (value - mean) * (value - mean);
  return Math.sqrt(squares / window.length);
}
