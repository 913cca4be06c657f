import { computeHistories, type HistoryResult, type HistoryTask } from '../modules/indicator/engine/history.js';
import { WorkerPool, siblingWorkerUrl } from './pool.js';

/** Runs indicator history computations: in worker threads, or inline when `workers` is 0. */
export interface IndicatorCompute {
  readonly workers: number;
  run(tasks: HistoryTask[]): Promise<HistoryResult[]>;
  close(): Promise<void>;
}

export function createIndicatorCompute(workers: number): IndicatorCompute {
  if (workers === 0) {
    return { workers, run: async (tasks) => computeHistories(tasks), close: async () => undefined };
  }
  const pool = new WorkerPool<HistoryTask[], HistoryResult[]>(siblingWorkerUrl(import.meta.url, 'indicator-worker'), workers);
  return { workers, run: (tasks) => pool.run(tasks), close: () => pool.close() };
}
