// The registry of forecasters the training job trains and the prediction job runs: the naive baseline, a statistical
// forecaster, and the two machine-learning ones (trained in a worker thread, see src/workers/model-training-pool.ts).
import type { Forecaster } from '../forecaster.js';
import { HoltForecaster } from './holt.forecaster.js';
import { LstmForecaster } from './lstm.forecaster.js';
import { NaiveForecaster } from './naive.forecaster.js';
import { RandomForestForecaster } from './random-forest.forecaster.js';

export function forecasters(): Forecaster[] {
  return [new NaiveForecaster(), new HoltForecaster(), new RandomForestForecaster(), new LstmForecaster()];
}

/** The naive forecaster's registry name: the fallback Stock.prediction shows when no model beats it. */
export const NAIVE_MODEL_NAME = new NaiveForecaster().name;
