// npm run worker (dist/worker.js in the image): the scheduled jobs and the job queues without the HTTP API.
// Run the API with JOBS_ENABLED=false and as many workers as you like: the Redis job lock makes each tick
// enqueue once across all of them, and BullMQ hands each queued job to one consumer.
// `npm run worker -- --queues market-data,indicators` consumes only those queues (default: all).
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { workerQueues } from './queues/worker-args.js';

let queues;
try {
  queues = workerQueues(process.argv.slice(2));
} catch (error) {
  console.error(`marketgraph worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const config = loadConfig();
const app = await createApp(config).catch((error: unknown) => {
  console.error(`marketgraph worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
app.startJobs(queues);
app.logger.info(
  { jobs: app.jobs.map((job) => `${job.name} (${job.cron}${job.timezone ? ` ${job.timezone}` : ''})`), queues, backend: app.queues.kind },
  'worker running',
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
