// Shared helpers for the two machine-learning forecasters: returns, targets, quantiles and input checks.
import type { SeriesWindow } from '../forecaster.js';

/** Log returns, aligned with closes: r[0] is NaN, r[i] = ln(close[i] / close[i - 1]). */
export function logReturns(closes: readonly number[]): number[] {
  const out = new Array<number>(closes.length).fill(Number.NaN);
  for (let i = 1; i < closes.length; i++) out[i] = Math.log(closes[i] / closes[i - 1]);
  return out;
}

/** The log return from session t to t + horizon (NaN when it leaves the window). */
export function forwardReturn(closes: readonly number[], t: number, horizon: number): number {
  return t + horizon < closes.length ? Math.log(closes[t + horizon] / closes[t]) : Number.NaN;
}

/** Linear-interpolated quantile of already sorted values (q in 0..1). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

export function std(values: readonly number[], centre = mean(values)): number {
  if (values.length < 2) return 0;
  return Math.sqrt(values.reduce((s, v) => s + (v - centre) ** 2, 0) / (values.length - 1));
}

/** Residual summary in log-return space: the 10 % / 90 % quantiles (an 80 % band) and the spread. */
export interface ResidualBand {
  low: number;
  high: number;
  scale: number;
}

export function residualBand(residuals: readonly number[]): ResidualBand {
  const finite = residuals.filter(Number.isFinite).sort((a, b) => a - b);
  return { low: quantileSorted(finite, 0.1), high: quantileSorted(finite, 0.9), scale: std(finite, 0) };
}

/** Evenly spaced indices keeping at most `limit` of `count` (deterministic thinning of large training sets). */
export function thinIndices(count: number, limit: number): number[] {
  if (count <= limit) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: limit }, (_, i) => Math.floor((i * count) / limit));
}

/** The value of a named feature on a row, NaN when the window does not carry that feature. */
export function featureValue(series: SeriesWindow, row: number, name: string): number {
  const column = series.featureNames.indexOf(name);
  return column < 0 ? Number.NaN : (series.features[row]?.[column] ?? Number.NaN);
}

export function assertHorizons(horizons: readonly number[]): void {
  if (horizons.length === 0) throw new RangeError('a model needs at least one horizon');
  for (const h of horizons) if (!Number.isInteger(h) || h < 1) throw new RangeError(`a horizon is a positive integer, got ${h}`);
}

export function lastClose(series: SeriesWindow): number {
  const close = series.closes[series.closes.length - 1];
  if (!(close > 0)) throw new RangeError(`${series.symbol}: the window's last close is not a positive price`);
  return close;
}

export function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
