/**
 * The contract every prediction model implements (naive, ARIMA / exponential smoothing, random forest, LSTM).
 * No look-ahead by construction: a model sees only the SeriesWindow it is handed, and the walk-forward backtest
 * hands it the history up to day t, then scores the forecast against day t + horizon.
 */
export type ModelType = 'NAIVE' | 'ARIMA' | 'EXPONENTIAL_SMOOTHING' | 'RANDOM_FOREST' | 'LSTM';

/** One symbol's daily history, oldest first: closes with their engineered feature rows. */
export interface SeriesWindow {
  symbol: string;
  /** Session dates, ascending, `YYYY-MM-DD`. */
  dates: string[];
  closes: number[];
  /** One row per date (same length as closes), columns named by featureNames; NaN where a feature is not defined yet. */
  features: number[][];
  featureNames: string[];
}

export interface Forecast {
  /** Sessions ahead of the window's last date. */
  horizon: number;
  targetPrice: number;
  /** A band around targetPrice (about 80 % by the model's own error estimate). */
  low: number;
  high: number;
  /** 0..1 */
  confidence: number;
}

export interface FittedModel {
  /** Forecasts from the window's last date; reads nothing beyond `series`. */
  forecast(series: SeriesWindow, horizon: number): Forecast;
  /** JSON-serialisable state (weights, coefficients), written under DATA_DIR/models and read back by Forecaster.load. */
  save(): unknown;
}

export interface Forecaster {
  readonly type: ModelType;
  readonly name: string;
  readonly version: string;
  readonly parameters: Record<string, unknown>;
  /** Trains on these windows (one per symbol) for the given horizons. CPU-heavy models run this in a worker thread. */
  fit(training: readonly SeriesWindow[], horizons: readonly number[]): Promise<FittedModel>;
  load(saved: unknown): FittedModel;
}

/** Up, down or flat from a forecast's change against the last close (flat within ±0.5 %). */
export function directionOf(lastClose: number, targetPrice: number): 'UP' | 'DOWN' | 'FLAT' {
  const change = (targetPrice - lastClose) / lastClose;
  if (change > 0.005) return 'UP';
  if (change < -0.005) return 'DOWN';
  return 'FLAT';
}
