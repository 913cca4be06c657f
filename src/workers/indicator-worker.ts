// Worker entry: computes indicator histories (see engine/history.ts) off the API's event loop.
import { parentPort } from 'node:worker_threads';
import { computeHistories, type HistoryTask } from '../modules/indicator/engine/history.js';

parentPort!.on('message', (tasks: HistoryTask[]) => {
  try {
    parentPort!.postMessage({ ok: true, value: computeHistories(tasks) });
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
