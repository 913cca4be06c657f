// Worker entry: the market scanner's maths (src/modules/scanner/scan-math.ts) off the API's event loop.
import { parentPort } from 'node:worker_threads';
import { runScanTask, type ScanTask } from './scan-pool.js';

parentPort!.on('message', (task: ScanTask) => {
  try {
    parentPort!.postMessage({ ok: true, value: runScanTask(task) });
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
