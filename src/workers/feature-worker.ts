// Worker entry: computes engineered features (src/modules/prediction/features/feature-engine.ts) off the API's event loop.
import { computeFeatureTasks } from '../modules/prediction/features/feature-engine.js';
import { serveWorker } from './pool.js';

serveWorker(computeFeatureTasks);
