import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import type { DatabaseTarget } from './database.js';

/** A real server where a URL is configured, else embedded PGlite under DATA_DIR/<name>. */
export function databaseTargets(config: Config, poolMax = config.dbPoolMax): { stock: DatabaseTarget; user: DatabaseTarget } {
  const target = (url: string | undefined, name: string): DatabaseTarget =>
    url ? { url, poolMax, timeouts: { acquireMs: config.dbAcquireTimeoutMs, statementMs: config.dbStatementTimeoutMs } } : { dataDir: resolve(join(config.dataDir, name)) };
  return { stock: target(config.stockDatabaseUrl, 'stock'), user: target(config.userDatabaseUrl, 'user') };
}

/** A PostgreSQL target handed in without timeouts (tests, scripts) gets the configured ones. */
export function withDefaultTimeouts(config: Config, target: DatabaseTarget): DatabaseTarget {
  if (!('url' in target) || target.timeouts) return target;
  return { ...target, timeouts: { acquireMs: config.dbAcquireTimeoutMs, statementMs: config.dbStatementTimeoutMs } };
}
