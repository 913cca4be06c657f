// RANDOM_FOREST: one RandomForestRegression per horizon on the engineered feature row at t plus the last few log
// returns; target = the log return over the horizon. Band from out-of-bag residual quantiles, confidence from how
// closely the trees agree against the spread of the targets.
import { RandomForestRegression } from 'ml-random-forest';
import type { FittedModel, Forecast, Forecaster, SeriesWindow } from '../forecaster.js';
import { trainOn, type MlForecasterOptions } from './train-on.js';
import {
  assertHorizons, clamp01, featureValue, forwardReturn, lastClose, logReturns, mean, quantileSorted, residualBand, std,
  thinIndices, type ResidualBand,
} from './training-set.js';

export interface RandomForestParameters {
  trees: number;
  /** Share (0..1) or count of the inputs each tree sees. */
  maxFeatures: number;
  seed: number;
  maxDepth: number;
  /** Lagged log returns appended to the feature row (r_t, r_t-1, ...). */
  lags: number;
  /** Training rows kept per horizon (evenly thinned beyond this). */
  maxSamples: number;
}

export const defaultRandomForestParameters: RandomForestParameters = {
  trees: 30, maxFeatures: 0.7, seed: 42, maxDepth: 6, lags: 3, maxSamples: 2000,
};

interface HorizonState {
  horizon: number;
  forest: unknown;
  band: ResidualBand;
  targetSpread: number;
}

export interface RandomForestState {
  model: 'RANDOM_FOREST';
  version: string;
  parameters: RandomForestParameters;
  featureNames: string[];
  /** Per input column: the training median, used where a forecast row has NaN. */
  fill: number[];
  horizons: HorizonState[];
}

const VERSION = '1';

function inputNames(featureNames: readonly string[], lags: number): string[] {
  return [...featureNames, ...Array.from({ length: lags }, (_, k) => `return_lag${k}`)];
}

/** The input row at t (engineered features then lagged returns); NaN entries left as NaN. */
function inputRow(series: SeriesWindow, returns: readonly number[], t: number, featureNames: readonly string[], lags: number): number[] {
  const row = featureNames.map((name) => featureValue(series, t, name));
  for (let k = 0; k < lags; k++) row.push(t - k >= 0 ? returns[t - k] : Number.NaN);
  return row;
}

export function trainRandomForest(
  parameters: RandomForestParameters,
  training: readonly SeriesWindow[],
  horizons: readonly number[],
): RandomForestState {
  assertHorizons(horizons);
  const featureNames = [...(training[0]?.featureNames ?? [])];
  const columns = inputNames(featureNames, parameters.lags).length;
  const perSeries = training.map((series) => ({ series, returns: logReturns(series.closes) }));

  const columnValues: number[][] = Array.from({ length: columns }, () => []);
  const states = horizons.map((horizon): HorizonState => {
    const rows: number[][] = [];
    const targets: number[] = [];
    for (const { series, returns } of perSeries) {
      for (let t = 0; t < series.closes.length; t++) {
        const y = forwardReturn(series.closes, t, horizon);
        if (!Number.isFinite(y)) continue;
        const row = inputRow(series, returns, t, featureNames, parameters.lags);
        if (!row.every(Number.isFinite)) continue;
        rows.push(row);
        targets.push(y);
      }
    }
    if (rows.length < 20) throw new RangeError(`too little complete history to train horizon ${horizon} (${rows.length} rows)`);
    const keep = thinIndices(rows.length, parameters.maxSamples);
    const x = keep.map((i) => rows[i]);
    const y = keep.map((i) => targets[i]);
    if (horizon === horizons[0]) x.forEach((row) => row.forEach((v, c) => columnValues[c].push(v)));

    const grow = (noOOB: boolean) => {
      const forest = new RandomForestRegression({
        nEstimators: parameters.trees,
        maxFeatures: parameters.maxFeatures,
        seed: parameters.seed,
        replacement: true,
        useSampleBagging: true,
        noOOB,
        treeOptions: { maxDepth: parameters.maxDepth, minNumSamples: 5 },
      });
      forest.train(x, y);
      return forest;
    };
    let forest: RandomForestRegression;
    try {
      forest = grow(false);
    } catch (error) {
      // ml-random-forest throws collecting out-of-bag results when some row was in every tree's bag (few trees,
      // few rows): grow the same seeded forest without them and fall back to training residuals for the band.
      if (!(error instanceof TypeError)) throw error;
      forest = grow(true);
    }
    const oob = forest.oobResults ?? [];
    const residuals = oob.length > 0
      ? oob.filter((r) => r.all.length > 0).map((r) => r.true - r.predicted)
      : forest.predict(x).map((p, i) => y[i] - p);
    return { horizon, forest: forest.toJSON(), band: residualBand(residuals), targetSpread: std(y) };
  });

  const fill = columnValues.map((values) => quantileSorted([...values].sort((a, b) => a - b), 0.5));
  return { model: 'RANDOM_FOREST', version: VERSION, parameters, featureNames, fill, horizons: states };
}

class FittedRandomForest implements FittedModel {
  private readonly forests = new Map<number, { forest: RandomForestRegression; state: HorizonState }>();

  constructor(private readonly state: RandomForestState) {
    for (const h of state.horizons) {
      this.forests.set(h.horizon, { forest: RandomForestRegression.load(h.forest as never), state: h });
    }
  }

  forecast(series: SeriesWindow, horizon: number): Forecast {
    const fitted = this.forests.get(horizon);
    if (!fitted) throw new RangeError(`the random forest was not trained for horizon ${horizon}`);
    const { featureNames, parameters, fill } = this.state;
    if (series.closes.length < parameters.lags + 1) throw new RangeError(`${series.symbol}: too short a window to forecast`);
    const close = lastClose(series);
    const t = series.closes.length - 1;
    const returns = logReturns(series.closes.slice(Math.max(0, t - parameters.lags)));
    const offset = Math.max(0, t - parameters.lags);
    const row = featureNames.map((name) => featureValue(series, t, name));
    for (let k = 0; k < parameters.lags; k++) row.push(returns[t - offset - k] ?? Number.NaN);
    const input = row.map((v, c) => (Number.isFinite(v) ? v : fill[c]));

    const treeReturns = fitted.forest.predictionValues([input]).getRow(0);
    const predicted = mean(treeReturns);
    const spread = std(treeReturns, predicted);
    const { band, targetSpread } = fitted.state;
    const targetPrice = close * Math.exp(predicted);
    return {
      horizon,
      targetPrice,
      low: targetPrice * Math.exp(Math.min(0, band.low)),
      high: targetPrice * Math.exp(Math.max(0, band.high)),
      confidence: clamp01(targetSpread > 0 ? 1 - spread / targetSpread : 0),
    };
  }

  save(): RandomForestState {
    return this.state;
  }
}

export class RandomForestForecaster implements Forecaster {
  readonly type = 'RANDOM_FOREST' as const;
  readonly name = 'Random forest on engineered features';
  readonly version = VERSION;
  readonly parameters: Record<string, unknown>;
  private readonly settings: RandomForestParameters;

  constructor(parameters: Partial<RandomForestParameters> = {}, private readonly options: MlForecasterOptions = {}) {
    this.settings = { ...defaultRandomForestParameters, ...parameters };
    this.parameters = { ...this.settings };
  }

  async fit(training: readonly SeriesWindow[], horizons: readonly number[]): Promise<FittedModel> {
    const state = await trainOn<RandomForestState>(
      this.options,
      { model: 'RANDOM_FOREST', parameters: this.settings, training, horizons },
      () => trainRandomForest(this.settings, training, horizons),
    );
    return this.load(state);
  }

  load(saved: unknown): FittedModel {
    const state = saved as RandomForestState;
    if (state?.model !== 'RANDOM_FOREST' || !Array.isArray(state.horizons)) throw new TypeError('not a saved random forest');
    return new FittedRandomForest(state);
  }
}
