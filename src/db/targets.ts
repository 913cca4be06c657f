import type { Config } from '../config.js';
import type { DatabaseName } from '../paths.js';
import type { DatabaseTarget } from './database.js';
import { embeddedDataDir } from './embedded-layout.js';
import { EMBEDDED_SCHEMAS } from './shared-pglite.js';

/** A real server where a URL is configured, else a schema of the one embedded PGlite instance under DATA_DIR/pglite. */
export function databaseTargets(config: Config, poolMax = config.dbPoolMax): { stock: DatabaseTarget; user: DatabaseTarget } {
  const target = (url: string | undefined, name: DatabaseName): DatabaseTarget =>
    url
      ? { url, poolMax, timeouts: { acquireMs: config.dbAcquireTimeoutMs, statementMs: config.dbStatementTimeoutMs } }
      : { dataDir: embeddedDataDir(config.dataDir), schema: EMBEDDED_SCHEMAS[name] };
  return { stock: target(config.stockDatabaseUrl, 'stock'), user: target(config.userDatabaseUrl, 'user') };
}

/** A PostgreSQL target handed in without timeouts (tests, scripts) gets the configured ones. */
export function withDefaultTimeouts(config: Config, target: DatabaseTarget): DatabaseTarget {
  if (!('url' in target) || target.timeouts) return target;
  return { ...target, timeouts: { acquireMs: config.dbAcquireTimeoutMs, statementMs: config.dbStatementTimeoutMs } };
}
