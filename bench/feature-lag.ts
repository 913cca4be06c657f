// Event-loop lag while the features job runs on the embedded database with the whole seed (two years, every stock):
//   npx tsx bench/feature-lag.ts            (FEATURE_WORKERS, default 1; 0 computes on the main thread; PROFILE=1 prints each statement kind's longest run)
// First run (every symbol from its first candle), then the steady run after one new candle per symbol.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { seedStockDb } from '../src/db/seed/seed-stock-db.js';
import { FeatureStore } from '../src/modules/prediction/features/feature-store.js';
import { refreshFeatureSummary } from '../src/modules/prediction/features/feature-store.sql.js';
import { createFeatureCompute } from '../src/workers/feature-pool.js';
import { PGlite } from '@electric-sql/pglite';
import { migrate } from '../src/db/migrator.js';
import { EMBEDDED_SCHEMAS, embeddedPgliteOptions, SharedPglite } from '../src/db/shared-pglite.js';
import { createPgliteExecutor } from '../src/db/sql-executor.js';
import { migrationsDir } from '../src/paths.js';

const shared = new SharedPglite(await PGlite.create(embeddedPgliteOptions()), 'memory');
const view = shared.view(EMBEDDED_SCHEMAS.stock);
await view.ensureSchema();
const raw = createPgliteExecutor(view);
const slowest = new Map<string, number>();
const timed = { ...raw, kind: raw.kind, async query<T>(text: string, params?: unknown[]) {
  const started = performance.now();
  try { return await raw.query<T>(text, params); } finally {
    const key = text.trim().slice(0, 40); slowest.set(key, Math.max(slowest.get(key) ?? 0, performance.now() - started));
  }
} } as typeof raw;
const db = { sql: process.env.PROFILE ? timed : raw, close: () => shared.close() };
await migrate(db.sql, migrationsDir('stock'));
const compute = createFeatureCompute(Number(process.env.FEATURE_WORKERS ?? 1));
try {
  console.log('seeding', new Date().toISOString());
  await seedStockDb(db.sql, { endDate: new Date('2026-11-27T00:00:00Z'), years: 2, intradaySessions: { hour: 0, minute: 0 } });
  console.log('seeded', new Date().toISOString());
  const store = new FeatureStore(db.sql, compute);
  const measure = async (name: string, run: () => Promise<unknown>) => {
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    const started = performance.now();
    const result = await run();
    histogram.disable();
    console.log(name, { ms: Math.round(performance.now() - started), lagP99Ms: histogram.percentile(99) / 1e6, lagMaxMs: histogram.max / 1e6, result });
  };
  await measure('first run', () => store.refresh());
  await measure('view refresh', () => refreshFeatureSummary(db.sql));
  await db.sql.exec(`INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, adj_close, volume, source)
    SELECT symbol, 'DAY', '2026-11-30T00:00:00Z', close, high, low, close, adj_close, volume, 'bench' FROM stock_price
    WHERE interval = 'DAY' AND ts = (SELECT max(ts) FROM stock_price WHERE interval = 'DAY' AND ts < '2026-11-30')`);
  await measure('steady run', () => store.refresh());
  if (process.env.PROFILE) console.log(slowest);
} finally {
  await compute.close();
  await db.close();
}
