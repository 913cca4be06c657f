// Worker entry: computes indicator histories (see engine/history.ts) off the API's event loop.
import { computeHistories } from '../modules/indicator/engine/history.js';
import { serveWorker } from './pool.js';

serveWorker(computeHistories);
