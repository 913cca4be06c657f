// The registry of forecasters the training job trains and the prediction job runs. The lead adds the random forest
// and LSTM forecasters (random-forest.forecaster.ts, lstm.forecaster.ts) here at merge.
import type { Forecaster } from '../forecaster.js';
import { HoltForecaster } from './holt.forecaster.js';
import { NaiveForecaster } from './naive.forecaster.js';

export function forecasters(): Forecaster[] {
  return [new NaiveForecaster(), new HoltForecaster()];
}

/** The naive forecaster's registry name: the fallback Stock.prediction shows when no model beats it. */
export const NAIVE_MODEL_NAME = new NaiveForecaster().name;
