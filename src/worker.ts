// npm run worker (dist/worker.js in the image): the scheduled jobs without the HTTP API.
// Run the API with JOBS_ENABLED=false and as many workers as you like: the Redis
// job lock makes each tick run once across all of them.
import { createApp } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfig();
const app = await createApp(config).catch((error: unknown) => {
  console.error(`marketgraph worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
app.startJobs();
app.logger.info({ jobs: app.jobs.map((job) => `${job.name} (${job.cron}${job.timezone ? ` ${job.timezone}` : ''})`) }, 'worker running');

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
