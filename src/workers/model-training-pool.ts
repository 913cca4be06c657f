import type { SeriesWindow } from '../modules/prediction/forecaster.js';
import { createCompute, siblingWorkerUrl, type Compute } from './pool.js';

/** One model fit, sent to a training worker; the answer is the model's save() state. */
export interface TrainingTask {
  model: 'RANDOM_FOREST' | 'LSTM';
  parameters: unknown;
  training: SeriesWindow[];
  horizons: number[];
}

/** Trains the ML forecasters: in worker threads, or inline when `workers` is 0. */
export type ModelTraining = Compute<TrainingTask, unknown>;

export async function trainInline(task: TrainingTask): Promise<unknown> {
  if (task.model === 'RANDOM_FOREST') {
    const { trainRandomForest } = await import('../modules/prediction/models/random-forest.forecaster.js');
    return trainRandomForest(task.parameters as never, task.training, task.horizons);
  }
  const { trainLstm } = await import('../modules/prediction/models/lstm.forecaster.js');
  return trainLstm(task.parameters as never, task.training, task.horizons);
}

export function createModelTraining(workers: number): ModelTraining {
  return createCompute(siblingWorkerUrl(import.meta.url, 'model-training-worker'), workers, trainInline);
}

let shared: ModelTraining | null = null;

/** The one-worker pool fit() uses on the main thread when no pool was passed in (workers are unref'd). */
export function sharedModelTraining(): ModelTraining {
  shared ??= createModelTraining(1);
  return shared;
}

export async function closeSharedModelTraining(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}
