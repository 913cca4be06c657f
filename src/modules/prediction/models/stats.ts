// Small statistics the forecasters and the backtest share.

/** Quantile by linear interpolation between order statistics (R type 7, numpy's default); NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** Every h-session simple return c[t+h] / c[t] - 1 of a series. */
export function horizonReturns(closes: readonly number[], horizon: number): number[] {
  const out: number[] = [];
  for (let t = 0; t + horizon < closes.length; t++) out.push(closes[t + horizon]! / closes[t]! - 1);
  return out;
}

/** The two-sided 80 % band: the 10th and 90th percentiles. */
export const BAND_QUANTILES = [0.1, 0.9] as const;
/** z of the 90th percentile of the standard normal (an 80 % two-sided band). */
export const Z80 = 1.2815515655446004;

export const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
