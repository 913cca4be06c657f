// Worker entry: fits a random forest or an LSTM off the API's event loop and answers with its saved state.
import { parentPort } from 'node:worker_threads';
import { trainInline, type TrainingTask } from './model-training-pool.js';

parentPort!.on('message', (task: TrainingTask) => {
  trainInline(task).then(
    (value) => parentPort!.postMessage({ ok: true, value }),
    (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
