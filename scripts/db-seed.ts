// npm run db:seed: migrates, then seeds the stock database (idempotent: a second run inserts nothing).
import { loadConfig } from '../src/config.js';
import { openStockDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrator.js';
import { seedStockDb } from '../src/db/seed/seed-stock-db.js';
import { migrationsDir } from '../src/paths.js';
import { databaseTargets } from '../src/db/targets.js';
import { runScript } from './script-support.js';

await runScript(async () => {
  const db = await openStockDatabase(databaseTargets(loadConfig(), 2).stock);
  try {
    await migrate(db.sql, migrationsDir('stock'));
    const started = Date.now();
    const inserted = await seedStockDb(db.sql);
    console.log(`stock (${db.location}): inserted ${JSON.stringify(inserted)} in ${Date.now() - started} ms`);
  } finally {
    await db.close();
  }
});
