// Worker entry: backtests and fits one forecaster off the API's event loop and answers with its metrics and state.
import { evaluateInline } from './model-evaluation-pool.js';
import { serveWorker } from './pool.js';

serveWorker(evaluateInline);
