import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The folder of the embedded instance that holds both databases, as schemas stock_data and user_data. */
export function embeddedDataDir(dataDir: string): string {
  return resolve(join(dataDir, 'pglite'));
}

export class LegacyDataDirError extends Error {
  override name = 'LegacyDataDirError';
}

/**
 * Before this version each embedded database was its own PGlite instance in DATA_DIR/stock and DATA_DIR/user
 * (~930 MB for the two). Opening the new instance next to them would silently start from an empty user
 * database, so start-up refuses and says what to do.
 */
export function refuseLegacyLayout(embeddedDir: string): void {
  const dataDir = dirname(embeddedDir);
  const legacy = ['stock', 'user'].map((name) => join(dataDir, name)).filter((dir) => existsSync(join(dir, 'PG_VERSION')));
  if (legacy.length === 0) return;
  throw new LegacyDataDirError(
    `${dataDir} holds embedded databases in the layout of earlier versions (${legacy.join(' and ')}, one PGlite instance each). ` +
      `This version keeps both databases in one instance under ${embeddedDir}. To start afresh (the stock data is seeded again; ` +
      `accounts and portfolios of the old user database are not carried over), move ${legacy.join(' and ')} out of ${dataDir} or delete them; ` +
      'to keep them, run the previous version, or point STOCK_DATABASE_URL / USER_DATABASE_URL at PostgreSQL.',
  );
}

