// Reads for the feature store tests, straight from SQL (not through the code under test).
import { expect } from 'vitest';
import { computeFeatures, FEATURE_COLUMNS, FEATURE_NAMES, type FeatureRow } from '../../../src/modules/prediction/features/feature-engine.js';
import type { TestDatabase } from '../../support/databases.js';

type Row = Record<string, unknown>;

export const count = async (db: TestDatabase, sql: string, params: unknown[] = []) => Number((await db.sql.query<{ n: number }>(sql, params))[0]!.n);

export const dailyCandles = (db: TestDatabase, symbol?: string) =>
  count(db, `SELECT count(*)::int AS n FROM stock_price WHERE interval = 'DAY' AND ($1::varchar IS NULL OR symbol = $1)`, [symbol ?? null]);

export const storedRows = (db: TestDatabase, version = 1) =>
  count(db, `SELECT count(*)::int AS n FROM feature_engineered_data WHERE feature_version = $1`, [version]);

/** Stored rows of one symbol and version, oldest first. */
export async function storedFeatures(db: TestDatabase, symbol: string, version = 1): Promise<FeatureRow[]> {
  const rows = await db.sql.query<Row>(`SELECT * FROM feature_engineered_data WHERE symbol = $1 AND feature_version = $2 ORDER BY ts`, [symbol, version]);
  return rows.map((r) => {
    const row = { ts: new Date(r.ts as string).getTime() } as FeatureRow;
    for (const name of FEATURE_NAMES) row[name] = r[FEATURE_COLUMNS[name]] === null ? null : Number(r[FEATURE_COLUMNS[name]]);
    return row;
  });
}

/** What the engine computes over the symbol's whole stored daily history. */
export async function fullRecompute(db: TestDatabase, symbol: string): Promise<FeatureRow[]> {
  const candles = await db.sql.query<Row>(
    `SELECT ts, high::float8, low::float8, close::float8, volume::float8 FROM stock_price WHERE symbol = $1 AND interval = 'DAY' ORDER BY ts`,
    [symbol],
  );
  return computeFeatures({
    ts: candles.map((c) => new Date(c.ts as string).getTime()),
    high: candles.map((c) => Number(c.high)),
    low: candles.map((c) => Number(c.low)),
    close: candles.map((c) => Number(c.close)),
    volume: candles.map((c) => Number(c.volume)),
  });
}

/** Same sessions, and every feature within 1e-9 relative (null exactly where the other is null). */
export function expectClose(actual: FeatureRow[], expected: FeatureRow[]): void {
  expect(actual.map((r) => r.ts)).toEqual(expected.map((r) => r.ts));
  actual.forEach((row, i) => {
    for (const name of FEATURE_NAMES) {
      const [a, e] = [row[name], expected[i]![name]];
      if (a === null || e === null) expect(a, `${name} at ${i}`).toBe(e);
      else expect(Math.abs(a - e), `${name} at ${i}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
    }
  });
}

export const addDay = (symbol: string, day: string, close: number) =>
  `INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, adj_close, volume, source)
   VALUES ('${symbol}', 'DAY', '${day}T00:00:00Z', ${close}, ${close + 2}, ${close - 2}, ${close}, ${close}, 1234567, 'test')`;
