/**
 * Risk statistics of daily returns. They are ratios of returns, not money,
 * so plain doubles are fine here; the money figures (VaR in the base
 * currency) are converted back to Decimal by the caller.
 */

/** Trading days per year: daily figures are annualised with it (volatility by √252, mean returns by 252). */
export const TRADING_DAYS_PER_YEAR = 252;

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Sample standard deviation (n − 1); null below two observations. */
export function sampleStdDev(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Annualised volatility: sample standard deviation of daily returns × √252. */
export function annualisedVolatility(returns: readonly number[]): number | null {
  const sd = sampleStdDev(returns);
  return sd === null ? null : sd * Math.sqrt(TRADING_DAYS_PER_YEAR);
}

/** Daily risk-free rate from an annual one, simple (rf / 252). */
const dailyRiskFree = (annual: number) => annual / TRADING_DAYS_PER_YEAR;

/** Annualised Sharpe ratio: mean daily excess return over its sample standard deviation, × √252. Null when undefined. */
export function sharpeRatio(returns: readonly number[], annualRiskFree: number): number | null {
  const sd = sampleStdDev(returns);
  if (sd === null || sd === 0) return null;
  return ((mean(returns) - dailyRiskFree(annualRiskFree)) / sd) * Math.sqrt(TRADING_DAYS_PER_YEAR);
}

/**
 * Annualised Sortino ratio: mean daily excess return over the downside
 * deviation √(Σ min(0, r − rf_d)² / n) (target = the daily risk-free rate,
 * every day in n), × √252. Null when there is no downside.
 */
export function sortinoRatio(returns: readonly number[], annualRiskFree: number): number | null {
  if (returns.length < 2) return null;
  const rf = dailyRiskFree(annualRiskFree);
  const downside = Math.sqrt(returns.reduce((a, r) => a + Math.min(0, r - rf) ** 2, 0) / returns.length);
  if (downside === 0) return null;
  return ((mean(returns) - rf) / downside) * Math.sqrt(TRADING_DAYS_PER_YEAR);
}

function covariance(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += (xs[i]! - mx) * (ys[i]! - my);
  return sum / (xs.length - 1);
}

/** Beta to a benchmark: cov(r, b) / var(b) over the same days. Null below two days or for a flat benchmark. */
export function beta(returns: readonly number[], benchmark: readonly number[]): number | null {
  if (returns.length !== benchmark.length || returns.length < 2) return null;
  const varB = covariance(benchmark, benchmark);
  return varB === 0 ? null : covariance(returns, benchmark) / varB;
}

/** Pearson correlation with a benchmark over the same days. Null when either side is flat. */
export function correlation(returns: readonly number[], benchmark: readonly number[]): number | null {
  if (returns.length !== benchmark.length || returns.length < 2) return null;
  const denominator = Math.sqrt(covariance(returns, returns) * covariance(benchmark, benchmark));
  return denominator === 0 ? null : covariance(returns, benchmark) / denominator;
}

export interface Drawdown {
  /** The largest peak-to-trough fall of the wealth index, as a negative fraction (−0.1 = 10 % down); 0 when it never fell. */
  value: number;
  /** The peak's date and the trough's date; null when it never fell. */
  from: string | null;
  to: string | null;
}

/**
 * Max drawdown of the time-weighted wealth index (1 at the anchor, × (1 + r_t)
 * each day), so deposits and withdrawals do not count as gains or losses.
 */
export function maxDrawdown(anchorDate: string, daily: readonly { date: string; value: number }[]): Drawdown {
  let wealth = 1;
  let peak = 1;
  let peakDate = anchorDate;
  const worst: Drawdown = { value: 0, from: null, to: null };
  for (const day of daily) {
    wealth *= 1 + day.value;
    if (wealth > peak) {
      peak = wealth;
      peakDate = day.date;
    }
    const dd = wealth / peak - 1;
    if (dd < worst.value) Object.assign(worst, { value: dd, from: peakDate, to: day.date });
  }
  return worst;
}

/**
 * Empirical quantile with linear interpolation between order statistics
 * (type 7: Excel's PERCENTILE.INC, numpy's default): h = (n − 1)p.
 */
export function quantile(xs: readonly number[], p: number): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * One-day 95 % historical VaR as a loss fraction: −(5th percentile of the
 * daily returns), floored at 0 (a history without losses risks nothing by
 * this measure). Null below two returns.
 */
export function historicalVaR95(returns: readonly number[]): number | null {
  if (returns.length < 2) return null;
  return Math.max(0, -quantile(returns, 0.05)!);
}
