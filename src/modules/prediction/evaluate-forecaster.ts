// One forecaster's whole training run, plain data in and out so it runs the same in a worker thread as inline: the
// walk-forward backtest for the horizons, then the fit on the full history whose saved state becomes the artifact.
import { walkForward, type BacktestOptions, type ModelMetrics } from './backtest.js';
import type { SeriesWindow } from './forecaster.js';
import { forecasterNamed, type ForecasterSettings } from './models/index.js';

export interface EvaluationTask {
  forecaster: string;
  settings: Omit<ForecasterSettings, 'training'>;
  windows: SeriesWindow[];
  horizons: number[];
  backtest: BacktestOptions;
}

export interface EvaluationResult {
  metrics: ModelMetrics;
  /** The forecaster's parameters as trained (defaults merged with the settings). */
  parameters: Record<string, unknown>;
  /** FittedModel.save() of the fit on the full history. */
  state: unknown;
}

/** Runs on the calling thread: the ML forecasters train inline (this is already the worker, or a test asked for it). */
export async function evaluateForecaster(task: EvaluationTask): Promise<EvaluationResult> {
  const forecaster = forecasterNamed(task.forecaster, { ...task.settings, training: 'inline' });
  if (!forecaster) throw new RangeError(`no forecaster is named ${task.forecaster}`);
  const metrics = await walkForward(forecaster, task.windows, task.horizons, task.backtest);
  const fitted = await forecaster.fit(task.windows, task.horizons);
  return { metrics, parameters: forecaster.parameters, state: fitted.save() };
}
