// The random walk every other model must beat: tomorrow (and in h sessions) is today's close. Its band is the 10th
// and 90th percentile of the h-session returns seen in training (or in the series itself for an unfitted horizon).
import type { FittedModel, Forecast, Forecaster, SeriesWindow } from '../forecaster.js';
import { BAND_QUANTILES, horizonReturns, quantile } from './stats.js';

export interface NaiveState {
  /** horizon -> [q10, q90] of h-session returns. */
  bands: Record<string, [number, number]>;
}

/** Quantiles of the h-session returns pooled over every window. */
export function returnBand(windows: readonly SeriesWindow[], horizon: number): [number, number] {
  const returns = windows.flatMap((w) => horizonReturns(w.closes, horizon));
  return [quantile(returns, BAND_QUANTILES[0]), quantile(returns, BAND_QUANTILES[1])];
}

class FittedNaive implements FittedModel {
  constructor(private readonly state: NaiveState) {}

  forecast(series: SeriesWindow, horizon: number): Forecast {
    const last = series.closes.at(-1)!;
    let band = this.state.bands[String(horizon)];
    if (!band || !band.every(Number.isFinite)) band = returnBand([series], horizon);
    const [q10, q90] = band.every(Number.isFinite) ? band : [0, 0];
    // No view on direction: the band alone says how sure it is (half-width 10 % -> 0.5).
    const confidence = Math.max(0.05, Math.min(0.95, 1 - (q90 - q10) / 0.4));
    return { horizon, targetPrice: last, low: last * (1 + Math.min(0, q10)), high: last * (1 + Math.max(0, q90)), confidence };
  }

  save(): NaiveState {
    return this.state;
  }
}

export class NaiveForecaster implements Forecaster {
  readonly type = 'NAIVE' as const;
  readonly name = 'naive-random-walk';
  readonly version = '1';
  readonly parameters = { bandQuantiles: [...BAND_QUANTILES] };

  async fit(training: readonly SeriesWindow[], horizons: readonly number[]): Promise<FittedModel> {
    const bands: NaiveState['bands'] = {};
    for (const horizon of horizons) bands[String(horizon)] = returnBand(training, horizon);
    return new FittedNaive({ bands });
  }

  load(saved: unknown): FittedModel {
    return new FittedNaive(saved as NaiveState);
  }
}
