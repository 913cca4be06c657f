import { existsSync } from 'node:fs';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseUnreachableError } from './db/database.js';
import { LegacyDataDirError } from './db/embedded-layout.js';
import { MigrationError } from './db/migrator.js';
import { RedisUnreachableError } from './redis.js';
import { routeConsoleToLogger } from './observability/console.js';

const EXPECTED_START_ERRORS = [ConfigError, DatabaseUnreachableError, LegacyDataDirError, MigrationError, RedisUnreachableError];

async function main(): Promise<void> {
  // Optional .env in the working directory; variables already set win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const app = await createApp(config);
  // Libraries' console output (warnings, deprecations) as JSON lines like everything else.
  routeConsoleToLogger(app.logger);
  const url = await app.listen();
  if (config.jobsEnabled) app.startJobs();
  app.logger.info({ url, stock: app.stockDb.location, user: app.userDb.location, cache: app.cache.kind }, `marketgraph ready at ${url}`);

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    app.logger.info({ signal }, 'shutting down');
    // Longer than the grace: draining requests and a running job must not be cut by it.
    const force = setTimeout(() => process.exit(1), config.shutdownGraceMs + 5_000);
    force.unref();
    app.close().then(
      () => {
        app.logger.info('stopped cleanly');
        process.exit(0);
      },
      (error) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: tsx's loader exits the process itself when a signal arrives
  // and no listener is left, which would cut the clean shutdown short.
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // One clear line for the mistakes an operator makes; the full error for anything else.
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`marketgraph failed to start: port ${(error as { port?: number }).port ?? ''} is already in use (set PORT)`);
  } else if (EXPECTED_START_ERRORS.some((type) => error instanceof type)) {
    console.error(`marketgraph failed to start: ${(error as Error).message}`);
  } else {
    console.error('marketgraph failed to start:', error);
  }
  process.exit(1);
});
