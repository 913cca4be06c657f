import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndicatorService } from '../../../src/modules/indicator/indicator.service.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { engineSeries, engineValues, snapshot, storedValues } from './indicator-db.js';

const CANDLES = readFileSync(new URL('./fixtures/indicator-candles.sql', import.meta.url), 'utf8');

let t: TestApp;
let service: IndicatorService;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(CANDLES) });
  service = new IndicatorService(t.app.stockDb.prisma);
});
afterAll(() => t?.close());

async function countStatements<T>(run: () => Promise<T>): Promise<{ result: T; statements: number }> {
  t.app.stockDb.queries.reset();
  const result = await run();
  return { result, statements: t.app.stockDb.queries.count };
}

describe('IndicatorService.recompute', () => {
  it('writes one row per daily candle of every active stock, equal to the engine rounded to the column scale', async () => {
    const { result: latest, statements } = await countStatements(() => service.recompute());
    // One statement reads every candle, one upserts the 70 points.
    expect(statements).toBe(2);
    expect([...latest.keys()].sort()).toEqual(['SHORT', 'TREND']);

    for (const symbol of ['TREND', 'SHORT']) {
      const expected = await engineValues(t.stock, symbol);
      expect(expected).toHaveLength(symbol === 'TREND' ? 60 : 10);
      expect(await storedValues(t.stock, symbol)).toEqual(expected);
    }
    const [count] = await t.stock.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM technical_indicator`);
    expect(count!.n).toBe(70);
  });

  it('returns the newest point of each symbol as the API serves it', async () => {
    const latest = await service.recompute(['TREND']);
    const last = (await engineValues(t.stock, 'TREND')).at(-1)!;
    expect(latest.get('TREND')).toEqual({
      timestamp: new Date('2025-03-01T00:00:00.000Z'),
      sma20: last.sma20,
      sma50: last.sma50,
      sma200: null,
      ema12: last.ema12,
      ema26: last.ema26,
      rsi14: last.rsi14,
      macd: { macd: last.macd, signal: last.macdSignal, histogram: last.macdHistogram },
      bollinger: { upper: last.bollingerUpper, middle: last.bollingerMiddle, lower: last.bollingerLower },
      atr14: last.atr14,
      obv: last.obv,
    });
    // And the stored values are the unrounded engine's to the column scale (rsi14: 4 decimals).
    const raw = (await engineSeries(t.stock, 'TREND')).at(-1)!;
    const stored = (await storedValues(t.stock, 'TREND')).at(-1)!;
    for (const key of ['sma20', 'sma50', 'ema12', 'ema26', 'macd', 'macdSignal', 'bollingerUpper', 'atr14'] as const) {
      expect(Math.abs(stored[key]! - raw[key]!), key).toBeLessThanOrEqual(5e-7);
    }
    expect(Math.abs(stored.rsi14! - raw.rsi14!)).toBeLessThanOrEqual(5e-5);
    expect(stored.obv).toBe(raw.obv);
  });

  it('changes nothing, computed_at included, when run again on the same candles', async () => {
    const before = await snapshot(t.stock);
    await service.recompute();
    expect(await snapshot(t.stock)).toEqual(before);
  });

  it('rewrites only the points a revised candle changes: it and the ones after it', async () => {
    const before = await snapshot(t.stock);
    const revise = (delta: number) =>
      t.stock.sql.exec(`UPDATE stock_price SET close = close + ${delta}, high = high + ${delta} WHERE symbol = 'TREND' AND ts = '2025-02-20T00:00:00Z' AND interval = 'DAY'`);
    await revise(1.5);
    try {
      await new Promise((resolve) => setTimeout(resolve, 5)); // so a rewritten row's computed_at differs
      await service.recompute(['SHORT', 'TREND']);
      const after = await snapshot(t.stock);
      const changed = after.filter((row, i) => row.computed_at_text !== before[i]!.computed_at_text);
      const day = (date: Date) => date.toISOString().slice(0, 10);
      expect(changed.map((row) => `${row.symbol} ${day(new Date(row.ts as string))}`)).toEqual(
        Array.from({ length: 10 }, (_, i) => `TREND ${day(new Date(Date.UTC(2025, 1, 20 + i)))}`),
      );
      expect(await storedValues(t.stock, 'TREND')).toEqual(await engineValues(t.stock, 'TREND'));
    } finally {
      await revise(-1.5);
      await service.recompute(['TREND']);
    }
  });

  it('writes only points at or after writeFrom, still computed over the whole history', async () => {
    await t.stock.sql.exec(`DELETE FROM technical_indicator WHERE symbol = 'TREND'`);
    await service.recompute(['TREND'], { writeFrom: new Date('2025-02-25T00:00:00Z') });
    const stored = await storedValues(t.stock, 'TREND');
    expect(stored).toEqual((await engineValues(t.stock, 'TREND')).slice(55));
    await service.recompute(['TREND']);
  });

  it('computes a delisted stock only when asked for by name, and does nothing for no symbols', async () => {
    expect((await service.recompute(['IDLE'])).has('IDLE')).toBe(true);
    expect(await storedValues(t.stock, 'IDLE')).toEqual(await engineValues(t.stock, 'IDLE'));
    const none = await countStatements(() => service.recompute([]));
    expect(none.result.size).toBe(0);
    expect(none.statements).toBe(0);
    expect((await service.recompute(['EMPTY', 'NOPE'])).size).toBe(0);
  });
});
