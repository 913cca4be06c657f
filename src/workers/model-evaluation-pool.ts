import type { EvaluationResult, EvaluationTask } from '../modules/prediction/evaluate-forecaster.js';
import { createCompute, siblingWorkerUrl, type Compute } from './pool.js';

/** Backtests and fits forecasters (src/modules/prediction/evaluate-forecaster.ts): in worker threads, or inline when `workers` is 0. */
export type ModelEvaluation = Compute<EvaluationTask, EvaluationResult>;

export async function evaluateInline(task: EvaluationTask): Promise<EvaluationResult> {
  const { evaluateForecaster } = await import('../modules/prediction/evaluate-forecaster.js');
  return evaluateForecaster(task);
}

export function createModelEvaluation(workers: number): ModelEvaluation {
  return createCompute(siblingWorkerUrl(import.meta.url, 'model-evaluation-worker'), workers, evaluateInline);
}
