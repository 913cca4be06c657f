// Holt's linear exponential smoothing with a damped trend, on log closes (so the trend is a growth rate and the band
// is multiplicative). alpha, beta and phi are chosen on the training windows by the smallest one-step squared error
// over a small grid; the band comes from the one-step residuals, widened with sqrt(h).
import type { FittedModel, Forecast, Forecaster, SeriesWindow } from '../forecaster.js';
import { Z80 } from './stats.js';

export interface HoltParameters {
  alpha: number;
  beta: number;
  /** Trend damping, 0 < phi <= 1 (1: Holt's linear trend). */
  phi: number;
}

export interface HoltRun {
  level: number;
  trend: number;
  /** Sum of squared one-step errors y[t] - (level[t-1] + phi * trend[t-1]) for t >= 2, and how many. */
  sse: number;
  errors: number;
}

/**
 * Runs the recursions over y: level[0] = y[0], trend[0] = y[1] - y[0] (0 with one value), then for t >= 1
 * level[t] = alpha y[t] + (1 - alpha)(level[t-1] + phi trend[t-1]),
 * trend[t] = beta (level[t] - level[t-1]) + (1 - beta) phi trend[t-1].
 */
export function holtRun(y: readonly number[], { alpha, beta, phi }: HoltParameters): HoltRun {
  let level = y[0]!;
  let trend = y.length > 1 ? y[1]! - y[0]! : 0;
  let sse = 0;
  let errors = 0;
  for (let t = 1; t < y.length; t++) {
    const predicted = level + phi * trend;
    if (t >= 2) {
      sse += (y[t]! - predicted) ** 2;
      errors++;
    }
    const previous = level;
    level = alpha * y[t]! + (1 - alpha) * predicted;
    trend = beta * (level - previous) + (1 - beta) * phi * trend;
  }
  return { level, trend, sse, errors };
}

/** level + (phi + phi^2 + ... + phi^h) trend. */
export function holtForecast(run: Pick<HoltRun, 'level' | 'trend'>, phi: number, horizon: number): number {
  let damping = 0;
  let power = 1;
  for (let k = 1; k <= horizon; k++) damping += (power *= phi);
  return run.level + damping * run.trend;
}

const GRID = {
  alpha: [0.05, 0.2, 0.4, 0.6, 0.8, 0.95],
  beta: [0.01, 0.05, 0.1, 0.3],
  phi: [0.8, 0.9, 0.98],
};

export interface HoltState extends HoltParameters {
  /** Standard deviation of the one-step log errors in training. */
  sigma: number;
}

class FittedHolt implements FittedModel {
  constructor(private readonly state: HoltState) {}

  forecast(series: SeriesWindow, horizon: number): Forecast {
    const logs = series.closes.map(Math.log);
    const run = holtRun(logs, this.state);
    const center = holtForecast(run, this.state.phi, horizon);
    const spread = Z80 * this.state.sigma * Math.sqrt(horizon);
    const targetPrice = Math.exp(center);
    return {
      horizon,
      targetPrice,
      low: Math.exp(center - spread),
      high: Math.exp(center + spread),
      // A narrower band is a surer forecast: half-width of 10 % -> 0.5.
      confidence: Math.max(0.05, Math.min(0.95, 1 - (Math.exp(spread) - Math.exp(-spread)) / 0.4)),
    };
  }

  save(): HoltState {
    return this.state;
  }
}

export class HoltForecaster implements Forecaster {
  readonly type = 'EXPONENTIAL_SMOOTHING' as const;
  readonly name = 'holt-damped';
  readonly version = '1';
  readonly parameters = { grid: GRID, on: 'log close' };

  async fit(training: readonly SeriesWindow[]): Promise<FittedModel> {
    const series = training.filter((w) => w.closes.length >= 3).map((w) => w.closes.map(Math.log));
    let best: HoltState = { alpha: 0.95, beta: 0.01, phi: 0.9, sigma: 0 };
    let bestSse = Number.POSITIVE_INFINITY;
    for (const alpha of GRID.alpha)
      for (const beta of GRID.beta)
        for (const phi of GRID.phi) {
          let sse = 0;
          let errors = 0;
          for (const y of series) {
            const run = holtRun(y, { alpha, beta, phi });
            sse += run.sse;
            errors += run.errors;
          }
          if (errors > 0 && sse < bestSse) {
            bestSse = sse;
            best = { alpha, beta, phi, sigma: Math.sqrt(sse / errors) };
          }
        }
    return new FittedHolt(best);
  }

  load(saved: unknown): FittedModel {
    return new FittedHolt(saved as HoltState);
  }
}
