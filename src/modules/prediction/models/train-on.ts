// Where the ML forecasters' fit() trains: a training worker pool by default on the main thread, else inline.
import { isMainThread } from 'node:worker_threads';
import type { SeriesWindow } from '../forecaster.js';
import type { ModelTraining } from '../../../workers/model-training-pool.js';

export interface MlForecasterOptions {
  /** Where fit() trains: a training pool, or 'inline' for this thread. Default: the shared pool on the main thread. */
  training?: ModelTraining | 'inline';
}

export async function trainOn<TState>(
  options: MlForecasterOptions,
  task: { model: 'RANDOM_FOREST' | 'LSTM'; parameters: unknown; training: readonly SeriesWindow[]; horizons: readonly number[] },
  inline: () => Promise<TState> | TState,
): Promise<TState> {
  if (options.training === 'inline' || (!options.training && !isMainThread)) return inline();
  const pool = options.training ?? (await import('../../../workers/model-training-pool.js')).sharedModelTraining();
  return (await pool.run({ ...task, training: [...task.training], horizons: [...task.horizons] })) as TState;
}
