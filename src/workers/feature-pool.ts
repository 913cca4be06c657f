import { computeFeatureTasks, type FeatureResult, type FeatureTask } from '../modules/prediction/features/feature-engine.js';
import { createCompute, siblingWorkerUrl, type Compute } from './pool.js';

/** Computes engineered features (feature-engine.ts): in worker threads, or inline when `workers` is 0. */
export type FeatureCompute = Compute<FeatureTask[], FeatureResult[]>;

export function createFeatureCompute(workers: number): FeatureCompute {
  return createCompute(siblingWorkerUrl(import.meta.url, 'feature-worker'), workers, computeFeatureTasks);
}
