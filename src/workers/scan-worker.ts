// Worker entry: the market scanner's maths (src/modules/scanner/scan-math.ts) off the API's event loop.
import { serveWorker } from './pool.js';
import { runScanTask } from './scan-pool.js';

serveWorker(runScanTask);
