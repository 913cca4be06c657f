// Worker entry: backtests and fits one forecaster off the API's event loop and answers with its metrics and state.
import { parentPort } from 'node:worker_threads';
import type { EvaluationTask } from '../modules/prediction/evaluate-forecaster.js';
import { evaluateInline } from './model-evaluation-pool.js';

parentPort!.on('message', (task: EvaluationTask) => {
  evaluateInline(task).then(
    (value) => parentPort!.postMessage({ ok: true, value }),
    (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
