// Worker entry: computes engineered features (src/modules/prediction/features/feature-engine.ts) off the API's event loop.
import { parentPort } from 'node:worker_threads';
import { computeFeatureTasks, type FeatureTask } from '../modules/prediction/features/feature-engine.js';

parentPort!.on('message', (tasks: FeatureTask[]) => {
  try {
    parentPort!.postMessage({ ok: true, value: computeFeatureTasks(tasks) });
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
