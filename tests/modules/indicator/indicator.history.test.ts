import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStockDb } from '../../../src/db/seed/seed-stock-db.js';
import type { IndicatorValues } from '../../../src/modules/indicator/engine/types.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import type { TestDatabase } from '../../support/databases.js';
import { engineValues, snapshot, storedValues } from './indicator-db.js';

const SYMBOLS = ['AAPL', 'MSFT', 'XOM'];
const END = new Date('2026-11-27T00:00:00Z');
const seed = async (db: TestDatabase) => void (await seedStockDb(db.sql, { symbols: SYMBOLS, endDate: END, years: 2 }));
const KEYS = ['sma20', 'sma50', 'sma200', 'ema12', 'ema26', 'rsi14', 'macd', 'macdSignal', 'macdHistogram',
  'bollingerUpper', 'bollingerMiddle', 'bollingerLower', 'atr14', 'obv'] as const;

/** Same timestamps, and every value within 1e-9 relative (null where the other is null). */
function expectClose(actual: IndicatorValues[], expected: IndicatorValues[]) {
  expect(actual.map((v) => v.timestamp)).toEqual(expected.map((v) => v.timestamp));
  actual.forEach((point, i) => {
    for (const key of KEYS) {
      const [a, e] = [point[key], expected[i]![key]];
      if (e === null || a === null) expect(a, `${key} at ${i}`).toBe(e);
      else expect(Math.abs(a - e), `${key} at ${i}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
    }
  });
}

/** An indicatorSeries point (nested macd and bollinger) as flat engine values. */
function flatten(p: any): IndicatorValues {
  return {
    timestamp: new Date(p.timestamp).getTime(), sma20: p.sma20, sma50: p.sma50, sma200: p.sma200, ema12: p.ema12, ema26: p.ema26,
    rsi14: p.rsi14, macd: p.macd?.macd ?? null, macdSignal: p.macd?.signal ?? null, macdHistogram: p.macd?.histogram ?? null,
    bollingerUpper: p.bollinger?.upper ?? null, bollingerMiddle: p.bollinger?.middle ?? null, bollingerLower: p.bollinger?.lower ?? null,
    atr14: p.atr14, obv: p.obv,
  };
}
const POINT = 'timestamp sma20 sma50 sma200 ema12 ema26 rsi14 macd { macd signal histogram } bollinger { upper middle lower } atr14 obv';

const count = async (db: TestDatabase, sql: string) => Number((await db.sql.query<{ n: number }>(sql))[0]!.n);
const addDay = (symbol: string, day: string, close: number) =>
  `INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, adj_close, volume, source)
   VALUES ('${symbol}', 'DAY', '${day}T00:00:00Z', ${close}, ${close + 2}, ${close - 2}, ${close}, ${close}, 1234567, 'test')`;

describe('indicator history on a first start (INDICATOR_HISTORY_ON_START)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ prepareStock: seed, env: { INDICATOR_HISTORY_ON_START: 'true' } });
    expect(await t.app.startupIndicators).toBe('ran');
  });
  afterAll(() => t?.close());

  it('stores one point per daily candle of every seeded stock, and serves 400 of them equal to a full recompute', async () => {
    const candles = await count(t.stock, `SELECT count(*)::int AS n FROM stock_price WHERE interval = 'DAY'`);
    expect(candles).toBeGreaterThan(3 * 500);
    expect(await count(t.stock, `SELECT count(*)::int AS n FROM technical_indicator WHERE interval = 'DAY'`)).toBe(candles);
    expect(await count(t.stock, `SELECT count(*)::int AS n FROM indicator_state`)).toBe(3);

    const { data } = await t.graphql(`{ stock(symbol: "AAPL") { indicatorSeries(last: 400) { ${POINT} } } }`);
    const served = (data!.stock.indicatorSeries as any[]).map(flatten);
    expect(served).toHaveLength(400);
    expectClose(served, (await engineValues(t.stock, 'AAPL')).slice(-400));
  });

  it('folds a new daily candle, then a revision of it, into the saved state, equal to a full recompute', async () => {
    for (const symbol of SYMBOLS) await t.stock.sql.exec(addDay(symbol, '2026-11-30', 150));
    const first = await t.app.indicatorHistory.refresh();
    expect(first).toMatchObject({ symbols: 3, recomputed: 0, incremental: 3 });
    // Per symbol: its state's own candle again (it may have been revised) and the new one.
    expect(first.points).toBe(6);
    for (const symbol of SYMBOLS) expectClose(await storedValues(t.stock, symbol), await engineValues(t.stock, symbol));

    await t.stock.sql.exec(`UPDATE stock_price SET close = 151.25, high = 153 WHERE interval = 'DAY' AND ts = '2026-11-30T00:00:00Z'`);
    expect(await t.app.indicatorHistory.refresh()).toMatchObject({ recomputed: 0, incremental: 3, points: 3 });
    for (const symbol of SYMBOLS) expectClose(await storedValues(t.stock, symbol), await engineValues(t.stock, symbol));
    expect(await count(t.stock, `SELECT count(*)::int AS n FROM technical_indicator WHERE ts = '2026-11-30T00:00:00Z'`)).toBe(3);
  });

  it('recomputes from its first candle a symbol that got a candle behind its saved state (a backfill from another process)', async () => {
    await t.stock.sql.exec(addDay('MSFT', '2024-01-02', 90));
    const report = await t.app.indicatorHistory.refresh();
    expect(report).toMatchObject({ recomputed: 1, incremental: 2 });
    expectClose(await storedValues(t.stock, 'MSFT'), await engineValues(t.stock, 'MSFT'));
    // The next run trusts the new state again.
    expect(await t.app.indicatorHistory.refresh()).toMatchObject({ recomputed: 0, incremental: 3 });
  });

  it('after a backfill rewrites only the affected symbol, from its first new candle on', async () => {
    await t.stock.sql.exec(`${addDay('XOM', '2026-12-01', 120)}; ${addDay('XOM', '2026-12-02', 118)}`);
    const before = await snapshot(t.stock);
    await new Promise((resolve) => setTimeout(resolve, 5)); // so a rewritten row's computed_at differs
    const report = await t.app.indicatorHistory.recomputeFrom([{ symbol: 'XOM', from: new Date('2026-12-01T00:00:00Z') }]);
    expect(report).toMatchObject({ symbols: 1, recomputed: 1, points: 2 });
    const after = await snapshot(t.stock);
    const untouched = after.filter((row) => before.some((old) => old.symbol === row.symbol && old.ts?.toString() === row.ts?.toString()));
    expect(untouched.map((row) => row.computed_at_text)).toEqual(
      untouched.map((row) => before.find((old) => old.symbol === row.symbol && old.ts?.toString() === row.ts?.toString())!.computed_at_text),
    );
    expect(after.length - before.length).toBe(2);
    expectClose(await storedValues(t.stock, 'XOM'), await engineValues(t.stock, 'XOM'));
  });
});

describe('Stock.indicators before the history is stored', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ prepareStock: seed }); // INDICATOR_HISTORY_ON_START is off in tests by default
  });
  afterAll(() => t?.close());

  it('is computed from the daily candles on demand, equal to the full recompute', async () => {
    expect(await count(t.stock, `SELECT count(*)::int AS n FROM technical_indicator`)).toBe(0);
    const { data } = await t.graphql(`{ stock(symbol: "MSFT") { indicators { ${POINT} } } }`);
    expect(data!.stock.indicators.sma200).not.toBeNull();
    expectClose([flatten(data!.stock.indicators)], (await engineValues(t.stock, 'MSFT')).slice(-1));
  });
});
