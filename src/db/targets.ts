import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import type { DatabaseTarget } from './database.js';

/** A real server where a URL is configured, else embedded PGlite under DATA_DIR/<name>. */
export function databaseTargets(config: Config, poolMax = config.dbPoolMax): { stock: DatabaseTarget; user: DatabaseTarget } {
  const target = (url: string | undefined, name: string): DatabaseTarget =>
    url ? { url, poolMax } : { dataDir: resolve(join(config.dataDir, name)) };
  return { stock: target(config.stockDatabaseUrl, 'stock'), user: target(config.userDatabaseUrl, 'user') };
}
