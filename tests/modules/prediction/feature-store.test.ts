import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStockDb } from '../../../src/db/seed/seed-stock-db.js';
import { FEATURE_LOOKBACK } from '../../../src/modules/prediction/features/feature-engine.js';
import { FeatureStore } from '../../../src/modules/prediction/features/feature-store.js';
import { readFeatureRows } from '../../../src/modules/prediction/features/feature-store.sql.js';
import { createFeatureCompute, type FeatureCompute } from '../../../src/workers/feature-pool.js';
import { openTestDatabase, type TestDatabase } from '../../support/databases.js';
import { addDay, count, dailyCandles, expectClose, fullRecompute, storedFeatures, storedRows } from './features-db.js';

const SYMBOLS = ['AAPL', 'MSFT', 'XOM'];
const END = new Date('2026-11-27T00:00:00Z');
const inline = createFeatureCompute(0);

/** Two stores held after computing, until both have computed: then both write the same rows at once. */
function barrier(parties: number) {
  let arrived = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    if (++arrived === parties) open();
    await gate;
  };
}

describe('the feature store on three years of daily candles', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('stock');
    // Three years (~780 sessions): more than FEATURE_LOOKBACK, so a resumed run really starts from a truncated history.
    await seedStockDb(db.sql, { symbols: SYMBOLS, endDate: END, years: 3 });
    expect(await dailyCandles(db, 'AAPL')).toBeGreaterThan(FEATURE_LOOKBACK + 100);
  }, 120_000);
  afterAll(() => db?.close());

  it('computes every symbol from its first candle on a first run, one row per daily candle, equal to the engine', async () => {
    const report = await new FeatureStore(db.sql, inline).refresh();
    const candles = await dailyCandles(db);
    expect(report).toMatchObject({ version: 1, symbols: 3, recomputed: 3, incremental: 0, inserted: candles, updated: 0 });
    expect(await storedRows(db)).toBe(candles);
    for (const symbol of SYMBOLS) expectClose(await storedFeatures(db, symbol), await fullRecompute(db, symbol));
  });

  it('computes only the new sessions on the next run, and the result equals a full recompute', async () => {
    for (const symbol of SYMBOLS) {
      await db.sql.exec(addDay(symbol, '2026-11-30', 150));
      await db.sql.exec(addDay(symbol, '2026-12-01', 152));
    }
    const before = await storedRows(db);
    const report = await new FeatureStore(db.sql, inline).refresh();
    // Per symbol: its newest stored row again (its candle may have been revised) and the two new sessions.
    expect(report).toMatchObject({ recomputed: 0, incremental: 3, computed: 9, inserted: 6 });
    expect(await storedRows(db)).toBe(before + 6);
    for (const symbol of SYMBOLS) expectClose(await storedFeatures(db, symbol), await fullRecompute(db, symbol));
  });

  it('rewrites the newest row when its candle is revised, and nothing else', async () => {
    await db.sql.exec(`UPDATE stock_price SET close = 149.5, high = 155 WHERE interval = 'DAY' AND ts = '2026-12-01T00:00:00Z'`);
    const before = await db.sql.query<{ symbol: string; rsi14: number }>(
      `SELECT symbol, rsi14 FROM feature_engineered_data WHERE ts = '2026-12-01T00:00:00Z' ORDER BY symbol`,
    );
    const report = await new FeatureStore(db.sql, inline).refresh();
    expect(report).toMatchObject({ incremental: 3, computed: 3, inserted: 0, updated: 3 });
    const after = await db.sql.query<{ symbol: string; rsi14: number }>(`SELECT symbol, rsi14 FROM feature_engineered_data WHERE ts = '2026-12-01T00:00:00Z' ORDER BY symbol`);
    after.forEach((row, i) => expect(row.rsi14).toBeLessThan(before[i]!.rsi14));
    for (const symbol of SYMBOLS) expectClose(await storedFeatures(db, symbol), await fullRecompute(db, symbol));
  });

  it('recomputes from its first candle a symbol that got a candle behind its newest row (a backfill)', async () => {
    await db.sql.exec(addDay('MSFT', '2023-11-18', 90));
    const report = await new FeatureStore(db.sql, inline).refresh();
    expect(report).toMatchObject({ recomputed: 1, incremental: 2, inserted: 1 });
    expectClose(await storedFeatures(db, 'MSFT'), await fullRecompute(db, 'MSFT'));
    expect(await storedRows(db)).toBe(await dailyCandles(db));
  });

  it('computes a new feature version from the first candle alongside the old one', async () => {
    const v1 = await storedRows(db, 1);
    const report = await new FeatureStore(db.sql, inline, { version: 2 }).refresh();
    expect(report).toMatchObject({ version: 2, recomputed: 3, incremental: 0, inserted: await dailyCandles(db) });
    expect(await storedRows(db, 2)).toBe(await dailyCandles(db));
    expect(await storedRows(db, 1)).toBe(v1);
    expectClose(await storedFeatures(db, 'XOM', 2), await fullRecompute(db, 'XOM'));
  });

  it('writes each row once when two stores (one in a worker thread, one inline) race on the same version', async () => {
    const workers: FeatureCompute = createFeatureCompute(1);
    try {
      const meet = barrier(2);
      const [a, b] = await Promise.all([
        new FeatureStore(db.sql, workers, { version: 3, beforeWrite: meet }).refresh(),
        new FeatureStore(db.sql, inline, { version: 3, beforeWrite: meet }).refresh(),
      ]);
      const candles = await dailyCandles(db);
      // Both computed every row; between them each was inserted once, and the worker's values equal the inline ones.
      expect([a.computed, b.computed]).toEqual([candles, candles]);
      expect(a.inserted + b.inserted).toBe(candles);
      expect(a.updated + b.updated).toBe(0);
      expect(await storedRows(db, 3)).toBe(candles);
      expect(await count(db, `SELECT count(*)::int AS n FROM (SELECT DISTINCT symbol, ts FROM feature_engineered_data WHERE feature_version = 3) d`)).toBe(candles);
    } finally {
      await workers.close();
    }
  });

  it('reads stored rows back per symbol, oldest first, from a date on, for the prediction models', async () => {
    const from = new Date('2026-11-01T00:00:00Z');
    const rows = await readFeatureRows(db.sql, ['AAPL', 'XOM', 'NOPE'], { from });
    expect([...rows.keys()]).toEqual(['AAPL', 'XOM', 'NOPE']);
    expect(rows.get('NOPE')).toEqual([]);
    const expected = (await storedFeatures(db, 'AAPL')).filter((r) => r.ts >= from.getTime());
    expect(expected.length).toBeGreaterThan(15);
    expect(rows.get('AAPL')).toEqual(expected);
  });
});
