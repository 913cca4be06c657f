import { computeFeatureTasks, type FeatureResult, type FeatureTask } from '../modules/prediction/features/feature-engine.js';
import { WorkerPool, siblingWorkerUrl } from './pool.js';

/** Computes engineered features (feature-engine.ts): in worker threads, or inline when `workers` is 0. */
export interface FeatureCompute {
  readonly workers: number;
  run(tasks: FeatureTask[]): Promise<FeatureResult[]>;
  close(): Promise<void>;
}

export function createFeatureCompute(workers: number): FeatureCompute {
  if (workers === 0) return { workers, run: async (tasks) => computeFeatureTasks(tasks), close: async () => undefined };
  const pool = new WorkerPool<FeatureTask[], FeatureResult[]>(siblingWorkerUrl(import.meta.url, 'feature-worker'), workers);
  return { workers, run: (tasks) => pool.run(tasks), close: () => pool.close() };
}
