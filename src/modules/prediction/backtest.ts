// Walk-forward backtest with an expanding window. At each fold's cut-off date D the forecaster is fitted on every
// series truncated to dates <= D (fresh arrays: nothing after D is reachable from what it is handed), then forecasts
// h sessions ahead of D and is scored against the close h sessions later. The naive forecast (D's close) is scored on
// the same points, so skill = 1 - MAE / MAE_naive compares like with like.
import { directionOf, type Forecaster, type SeriesWindow } from './forecaster.js';

export const HORIZONS = [7, 30, 90] as const;

export interface HorizonMetrics {
  /** Scored forecasts. */
  n: number;
  mae: number;
  /** Percent. */
  mape: number;
  /** Share of forecasts whose direction (UP/DOWN/FLAT, ±0.5 %) matched the outcome's. */
  directionalAccuracy: number;
  maeNaive: number;
  /** 1 - mae / maeNaive; > 0 beats the random walk. */
  skill: number;
  beatsNaive: boolean;
}

export interface ModelMetrics {
  horizons: Record<string, HorizonMetrics>;
  /** Mean skill over the horizons with scored forecasts (what "best model" ranks by). */
  skill: number;
  /** skill > 0; a model that does not beat the random walk is never shown as the best. */
  beatsNaive: boolean;
  folds: number;
}

export interface ScoredPoint {
  horizon: number;
  last: number;
  predicted: number;
  actual: number;
}

/** MAE, MAPE, directional accuracy and skill of scored points of one horizon. */
export function horizonMetrics(points: readonly ScoredPoint[]): HorizonMetrics {
  const n = points.length;
  if (n === 0) return { n, mae: Number.NaN, mape: Number.NaN, directionalAccuracy: Number.NaN, maeNaive: Number.NaN, skill: Number.NaN, beatsNaive: false };
  let absolute = 0;
  let percent = 0;
  let naive = 0;
  let hits = 0;
  for (const p of points) {
    absolute += Math.abs(p.predicted - p.actual);
    percent += Math.abs(p.predicted - p.actual) / Math.abs(p.actual);
    naive += Math.abs(p.last - p.actual);
    if (directionOf(p.last, p.predicted) === directionOf(p.last, p.actual)) hits++;
  }
  const mae = absolute / n;
  const maeNaive = naive / n;
  // A perfect naive (a flat series) cannot be beaten: skill 0, not -Infinity or NaN.
  const skill = maeNaive === 0 ? 0 : 1 - mae / maeNaive;
  return { n, mae, mape: (100 * percent) / n, directionalAccuracy: hits / n, maeNaive, skill, beatsNaive: skill > 0 };
}

export function summarise(points: readonly ScoredPoint[], horizons: readonly number[], folds: number): ModelMetrics {
  const byHorizon: Record<string, HorizonMetrics> = {};
  const skills: number[] = [];
  for (const horizon of horizons) {
    const metrics = horizonMetrics(points.filter((p) => p.horizon === horizon));
    byHorizon[String(horizon)] = metrics;
    if (metrics.n > 0) skills.push(metrics.skill);
  }
  const skill = skills.length > 0 ? skills.reduce((a, b) => a + b, 0) / skills.length : Number.NaN;
  return { horizons: byHorizon, skill, beatsNaive: skill > 0, folds };
}

/** The window of `series` up to and including index `end`, as fresh arrays. */
export function truncate(series: SeriesWindow, end: number): SeriesWindow {
  return {
    symbol: series.symbol,
    dates: series.dates.slice(0, end + 1),
    closes: series.closes.slice(0, end + 1),
    features: series.features.slice(0, end + 1).map((row) => row.slice()),
    featureNames: series.featureNames.slice(),
  };
}

export interface BacktestOptions {
  /** Cut-off dates, spread evenly between minTrainFraction of the dates and the last date that leaves the shortest horizon scoreable. @default 6 */
  folds?: number;
  /** @default 0.5 */
  minTrainFraction?: number;
  /** Series shorter than this at a cut-off are left out of that fold. @default 30 */
  minSessions?: number;
}

/** The fold cut-off dates over the union of the series' dates. */
export function foldCutoffs(series: readonly SeriesWindow[], horizons: readonly number[], options: BacktestOptions = {}): string[] {
  const folds = options.folds ?? 6;
  const dates = [...new Set(series.flatMap((s) => s.dates))].sort();
  const shortest = Math.min(...horizons);
  const first = Math.floor(dates.length * (options.minTrainFraction ?? 0.5));
  const last = dates.length - 1 - shortest;
  if (last < first || folds < 1) return [];
  const cutoffs = new Set<string>();
  for (let k = 0; k < folds; k++) cutoffs.add(dates[Math.round(first + ((last - first) * k) / Math.max(1, folds - 1))]!);
  return [...cutoffs].sort();
}

/** Index of the last date <= cutoff (dates ascending); -1 when none. */
function lastIndexAtOrBefore(dates: readonly string[], cutoff: string): number {
  let lo = 0;
  let hi = dates.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (dates[mid]! <= cutoff) (found = mid), (lo = mid + 1);
    else hi = mid - 1;
  }
  return found;
}

export async function walkForward(
  forecaster: Forecaster,
  series: readonly SeriesWindow[],
  horizons: readonly number[] = HORIZONS,
  options: BacktestOptions = {},
): Promise<ModelMetrics> {
  const cutoffs = foldCutoffs(series, horizons, options);
  const minSessions = options.minSessions ?? 30;
  const points: ScoredPoint[] = [];
  for (const cutoff of cutoffs) {
    const cuts = series.map((s) => ({ full: s, end: lastIndexAtOrBefore(s.dates, cutoff) })).filter((c) => c.end + 1 >= minSessions);
    if (cuts.length === 0) continue;
    const windows = cuts.map((c) => truncate(c.full, c.end));
    const fitted = await forecaster.fit(windows, horizons);
    cuts.forEach((c, i) => {
      for (const horizon of horizons) {
        const target = c.end + horizon;
        if (target >= c.full.closes.length) continue;
        const forecast = fitted.forecast(windows[i]!, horizon);
        points.push({ horizon, last: c.full.closes[c.end]!, predicted: forecast.targetPrice, actual: c.full.closes[target]! });
      }
    });
  }
  return summarise(points, horizons, cutoffs.length);
}
