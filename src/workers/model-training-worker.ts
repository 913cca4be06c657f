// Worker entry: fits a random forest or an LSTM off the API's event loop and answers with its saved state.
import { trainInline } from './model-training-pool.js';
import { serveWorker } from './pool.js';

serveWorker(trainInline);
