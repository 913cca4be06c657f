import type { EvaluationResult, EvaluationTask } from '../modules/prediction/evaluate-forecaster.js';
import { WorkerPool, siblingWorkerUrl } from './pool.js';

/** Backtests and fits forecasters (src/modules/prediction/evaluate-forecaster.ts): in worker threads, or inline when `workers` is 0. */
export interface ModelEvaluation {
  readonly workers: number;
  run(task: EvaluationTask): Promise<EvaluationResult>;
  close(): Promise<void>;
}

export async function evaluateInline(task: EvaluationTask): Promise<EvaluationResult> {
  const { evaluateForecaster } = await import('../modules/prediction/evaluate-forecaster.js');
  return evaluateForecaster(task);
}

export function createModelEvaluation(workers: number): ModelEvaluation {
  if (workers === 0) return { workers, run: evaluateInline, close: async () => undefined };
  const pool = new WorkerPool<EvaluationTask, EvaluationResult>(siblingWorkerUrl(import.meta.url, 'model-evaluation-worker'), workers);
  return { workers, run: (task) => pool.run(task), close: () => pool.close() };
}
