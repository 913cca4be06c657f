// npm run db:migrate: applies pending migrations to both configured databases and exits.
import { loadConfig } from '../src/config.js';
import { openStockDatabase, openUserDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrator.js';
import { migrationsDir } from '../src/paths.js';
import { databaseTargets } from '../src/db/targets.js';
import { runScript } from './script-support.js';

await runScript(async () => {
  const targets = databaseTargets(loadConfig(), 2);
  for (const [open, target] of [
    [openStockDatabase, targets.stock],
    [openUserDatabase, targets.user],
  ] as const) {
    const db = await open(target);
    try {
      const report = await migrate(db.sql, migrationsDir(db.name));
      console.log(`${db.name} (${db.location}): applied ${report.applied.length} [${report.applied.join(', ')}], ${report.alreadyApplied.length} already applied`);
    } finally {
      await db.close();
    }
  }
});
