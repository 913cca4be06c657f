import { computeHistories, type HistoryResult, type HistoryTask } from '../modules/indicator/engine/history.js';
import { createCompute, siblingWorkerUrl, type Compute } from './pool.js';

/** Runs indicator history computations: in worker threads, or inline when `workers` is 0. */
export type IndicatorCompute = Compute<HistoryTask[], HistoryResult[]>;

export function createIndicatorCompute(workers: number): IndicatorCompute {
  return createCompute(siblingWorkerUrl(import.meta.url, 'indicator-worker'), workers, computeHistories);
}
