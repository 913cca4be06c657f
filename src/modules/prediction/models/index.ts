// The registry of forecasters the training job trains and the prediction job runs: the naive baseline, a statistical
// forecaster, and the two machine-learning ones (trained in a worker thread, see src/workers/model-training-pool.ts).
import type { Forecaster } from '../forecaster.js';
import { HoltForecaster } from './holt.forecaster.js';
import { LstmForecaster, type LstmParameters } from './lstm.forecaster.js';
import { NaiveForecaster } from './naive.forecaster.js';
import { RandomForestForecaster, type RandomForestParameters } from './random-forest.forecaster.js';
import type { MlForecasterOptions } from './train-on.js';

/** Overrides of the ML forecasters' defaults (smaller forests and fewer epochs keep an embedded start-up light). */
export interface ForecasterSettings {
  randomForest?: Partial<RandomForestParameters>;
  lstm?: Partial<LstmParameters>;
  /** Where the ML forecasters train (default: the shared pool on the main thread, inline in a worker). */
  training?: MlForecasterOptions['training'];
}

export function forecasters(settings: ForecasterSettings = {}): Forecaster[] {
  const options = settings.training ? { training: settings.training } : {};
  return [
    new NaiveForecaster(),
    new HoltForecaster(),
    new RandomForestForecaster(settings.randomForest, options),
    new LstmForecaster(settings.lstm, options),
  ];
}

/** The forecaster of a registry name (as the model table stores it), with these settings; undefined when unknown. */
export function forecasterNamed(name: string, settings: ForecasterSettings = {}): Forecaster | undefined {
  return forecasters(settings).find((f) => f.name === name);
}

/** The naive forecaster's registry name: the fallback Stock.prediction shows when no model beats it. */
export const NAIVE_MODEL_NAME = new NaiveForecaster().name;
