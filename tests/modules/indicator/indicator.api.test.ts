import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorValues } from '../../../src/modules/indicator/engine/types.js';
import { IndicatorService } from '../../../src/modules/indicator/indicator.service.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { engineValues } from './indicator-db.js';

const CANDLES = readFileSync(new URL('./fixtures/indicator-candles.sql', import.meta.url), 'utf8');

const POINT = `timestamp sma20 sma50 sma200 ema12 ema26 rsi14 macd { macd signal histogram } bollinger { upper middle lower } atr14 obv`;

let t: TestApp;
let trend: IndicatorValues[];
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(CANDLES) });
  await new IndicatorService(t.app.stockDb.prisma).recompute();
  trend = await engineValues(t.stock, 'TREND');
});
afterAll(() => t?.close());

/** The GraphQL shape of engine values: nested macd and bollinger, ISO timestamp. */
function asServed(v: IndicatorValues) {
  return {
    timestamp: new Date(v.timestamp).toISOString(),
    sma20: v.sma20,
    sma50: v.sma50,
    sma200: v.sma200,
    ema12: v.ema12,
    ema26: v.ema26,
    rsi14: v.rsi14,
    macd: v.macd === null ? null : { macd: v.macd, signal: v.macdSignal, histogram: v.macdHistogram },
    bollinger: v.bollingerMiddle === null ? null : { upper: v.bollingerUpper, middle: v.bollingerMiddle, lower: v.bollingerLower },
    atr14: v.atr14,
    obv: v.obv,
  };
}

describe('Stock.indicators', () => {
  it('is the latest stored point, as the engine computed it', async () => {
    const { data, errors } = await t.graphql(`{ stock(symbol: "TREND") { indicators { ${POINT} } } }`);
    expect(errors).toBeUndefined();
    expect(data!.stock.indicators).toEqual(asServed(trend.at(-1)!));
    expect(data!.stock.indicators).toMatchObject({ timestamp: '2025-03-01T00:00:00.000Z', sma200: null });
  });

  it('serves warm-up fields as null: with 10 candles only OBV has a value', async () => {
    const { data } = await t.graphql(`{ stock(symbol: "SHORT") { indicators { ${POINT} } } }`);
    expect(data!.stock.indicators).toEqual({
      timestamp: '2025-01-10T00:00:00.000Z',
      sma20: null,
      sma50: null,
      sma200: null,
      ema12: null,
      ema26: null,
      rsi14: null,
      macd: null,
      bollinger: null,
      atr14: null,
      obv: expect.any(Number),
    });
  });

  it('is null, and the series empty, for a stock without candles', async () => {
    const { data, errors } = await t.graphql(`{ stock(symbol: "EMPTY") { indicators { timestamp } indicatorSeries { timestamp } } }`);
    expect(errors).toBeUndefined();
    expect(data!.stock).toEqual({ indicators: null, indicatorSeries: [] });
  });
});

describe('Stock.indicatorSeries', () => {
  it('returns one point per stored daily candle, oldest first', async () => {
    const { data } = await t.graphql(`{ stock(symbol: "TREND") { indicatorSeries { ${POINT} } } }`);
    expect(data!.stock.indicatorSeries).toEqual(trend.map(asServed));
  });

  it('turns each indicator on exactly when its warm-up ends', async () => {
    const { data } = await t.graphql(`{ stock(symbol: "TREND") { indicatorSeries { ${POINT} } } }`);
    const series = data!.stock.indicatorSeries as ReturnType<typeof asServed>[];
    const firstNonNull = (pick: (p: (typeof series)[number]) => unknown) => series.findIndex((p) => pick(p) !== null);
    expect({
      sma20: firstNonNull((p) => p.sma20),
      sma50: firstNonNull((p) => p.sma50),
      sma200: firstNonNull((p) => p.sma200),
      ema12: firstNonNull((p) => p.ema12),
      ema26: firstNonNull((p) => p.ema26),
      rsi14: firstNonNull((p) => p.rsi14),
      macd: firstNonNull((p) => p.macd),
      macdSignal: firstNonNull((p) => p.macd?.signal ?? null),
      bollinger: firstNonNull((p) => p.bollinger),
      atr14: firstNonNull((p) => p.atr14),
      obv: firstNonNull((p) => p.obv),
    }).toEqual({ sma20: 19, sma50: 49, sma200: -1, ema12: 11, ema26: 25, rsi14: 14, macd: 25, macdSignal: 33, bollinger: 19, atr14: 13, obv: 0 });
    expect(series[25]!.macd).toEqual({ macd: expect.any(Number), signal: null, histogram: null });
  });

  it('takes the latest `last` points within [from, to]', async () => {
    const { data, errors } = await t.graphql(`{ stock(symbol: "TREND") {
      last3: indicatorSeries(last: 3) { timestamp sma20 }
      ranged: indicatorSeries(from: "2025-01-05T00:00:00Z", to: "2025-01-07T00:00:00Z") { timestamp }
      tail: indicatorSeries(to: "2025-01-20T00:00:00Z", last: 2) { timestamp sma20 } } }`);
    expect(errors).toBeUndefined();
    expect(data!.stock.last3).toEqual(trend.slice(57).map((v) => ({ timestamp: new Date(v.timestamp).toISOString(), sma20: v.sma20 })));
    expect(data!.stock.ranged.map((p: any) => p.timestamp)).toEqual(['2025-01-05T00:00:00.000Z', '2025-01-06T00:00:00.000Z', '2025-01-07T00:00:00.000Z']);
    expect(data!.stock.tail).toEqual([
      { timestamp: '2025-01-19T00:00:00.000Z', sma20: null },
      { timestamp: '2025-01-20T00:00:00.000Z', sma20: trend[19]!.sma20 },
    ]);
  });

  it.each([
    ['from after to', 'indicatorSeries(from: "2025-02-01T00:00:00Z", to: "2025-01-01T00:00:00Z")', /"from" must not be after "to"/],
    ['last: 0', 'indicatorSeries(last: 0)', /between 1 and 1000/],
    ['last: 1001', 'indicatorSeries(last: 1001)', /between 1 and 1000/],
  ])('rejects %s as BAD_USER_INPUT', async (_, field, message) => {
    const { errors } = await t.graphql(`{ stock(symbol: "TREND") { ${field} { timestamp } } }`);
    expect(errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(errors![0]!.message).toMatch(message);
  });
});
