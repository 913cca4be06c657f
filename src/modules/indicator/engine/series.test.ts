// computeSeries at the periods the app serves, against references computed a
// different way in the test: direct sums over each window and the closed form
// of the EMA (seed weighted by (1-k)^m plus every later value by k(1-k)^age),
// instead of running sums and recursion.
import { describe, expect, it } from 'vitest';
import { atr, computeSeries, rsi } from './series.js';
import type { IndicatorValues } from './types.js';
import { randomCandles } from '../../../../tests/modules/indicator/fixtures/random-candles.js';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function naiveSma(values: number[], n: number, i: number): number | null {
  return i < n - 1 ? null : mean(values.slice(i - n + 1, i + 1));
}

/** EMA at i in closed form, the seed being the mean of values[from .. from+n-1]. */
function closedFormEma(values: number[], n: number, i: number, from = 0): number | null {
  const seedAt = from + n - 1;
  if (i < seedAt) return null;
  const k = 2 / (n + 1);
  let result = mean(values.slice(from, seedAt + 1)) * (1 - k) ** (i - seedAt);
  for (let j = seedAt + 1; j <= i; j++) result += k * (1 - k) ** (i - j) * values[j]!;
  return result;
}

function expectClose(got: number | null, want: number | null, digits = 9) {
  if (want === null) return expect(got).toBeNull();
  expect(got).not.toBeNull();
  expect(got!).toBeCloseTo(want, digits);
}

const candles = randomCandles(300);
const closes = candles.map((c) => c.close);
const series = computeSeries(candles);

describe('computeSeries', () => {
  it('returns one point per candle, stamped with its time', () => {
    expect(series).toHaveLength(300);
    expect(series.map((v) => v.timestamp)).toEqual(candles.map((c) => (c.timestamp as Date).getTime()));
  });

  it('is null exactly during each warm-up, and never after', () => {
    // index of the first value: SMA n at n-1, EMA n at n-1, RSI 14 at 14 (14 changes), MACD signal at 26+9-2,
    // ATR 14 at 13 (the first true range is high - low), OBV at once.
    const firstValue: Record<Exclude<keyof IndicatorValues, 'timestamp'>, number> = {
      sma20: 19, sma50: 49, sma200: 199, ema12: 11, ema26: 25, rsi14: 14, macd: 25, macdSignal: 33, macdHistogram: 33,
      bollingerUpper: 19, bollingerMiddle: 19, bollingerLower: 19, atr14: 13, obv: 0,
    };
    for (const [field, first] of Object.entries(firstValue)) {
      const nulls = series.map((v) => v[field as keyof IndicatorValues] === null);
      expect(nulls.indexOf(false), field).toBe(first);
      expect(nulls.lastIndexOf(true), field).toBe(first - 1);
    }
  });

  it('SMA 20/50/200 equal the direct mean of each window', () => {
    series.forEach((v, i) => {
      expectClose(v.sma20, naiveSma(closes, 20, i));
      expectClose(v.sma50, naiveSma(closes, 50, i));
      expectClose(v.sma200, naiveSma(closes, 200, i));
    });
  });

  it('EMA 12/26 and MACD(12, 26, 9) equal their closed forms', () => {
    const macdLine = closes.map((_, i) => (i < 25 ? 0 : closedFormEma(closes, 12, i)! - closedFormEma(closes, 26, i)!));
    series.forEach((v, i) => {
      expectClose(v.ema12, closedFormEma(closes, 12, i));
      expectClose(v.ema26, closedFormEma(closes, 26, i));
      expectClose(v.macd, i < 25 ? null : macdLine[i]!);
      const signal = closedFormEma(macdLine, 9, i, 25);
      expectClose(v.macdSignal, signal);
      expectClose(v.macdHistogram, signal === null ? null : macdLine[i]! - signal);
    });
  });

  it('Bollinger(20, 2) equals SMA20 +- 2 x sqrt(E[x^2] - E[x]^2) over the window', () => {
    series.forEach((v, i) => {
      if (i < 19) return expect([v.bollingerUpper, v.bollingerMiddle, v.bollingerLower]).toEqual([null, null, null]);
      const window = closes.slice(i - 19, i + 1);
      const m = mean(window);
      const sd = Math.sqrt(mean(window.map((x) => x * x)) - m * m);
      expectClose(v.bollingerMiddle, m);
      expectClose(v.bollingerUpper, m + 2 * sd, 6);
      expectClose(v.bollingerLower, m - 2 * sd, 6);
    });
  });

  it('RSI 14 and ATR 14 are the primitives checked against ChartSchool', () => {
    expect(series.map((v) => v.rsi14)).toEqual(rsi(closes, 14));
    expect(series.map((v) => v.atr14)).toEqual(atr(candles.map((c) => c.high), candles.map((c) => c.low), closes, 14));
  });

  it('OBV is the running sum of signed volumes, from the first volume', () => {
    let expected = 0;
    series.forEach((v, i) => {
      const sign = i === 0 ? 1 : Math.sign(closes[i]! - closes[i - 1]!);
      expected += sign * candles[i]!.volume;
      expect(v.obv).toBe(expected);
    });
  });

  it('treats a run of candles with one timestamp as one candle, revised: the last wins', () => {
    const revised = { ...candles[9]!, close: 1, high: 2, low: 0.5 };
    const withRevisions = [...candles.slice(0, 10), revised, ...candles.slice(10, 30)];
    expect(computeSeries(withRevisions)).toEqual(computeSeries([...candles.slice(0, 9), revised, ...candles.slice(10, 30)]));
  });

  it('refuses candles out of time order and non-finite prices', () => {
    expect(() => computeSeries([candles[1]!, candles[0]!])).toThrow(/ascending/);
    expect(() => computeSeries([{ ...candles[0]!, close: Number.NaN }])).toThrow(/close must be a finite number/);
    expect(computeSeries([])).toEqual([]);
  });
});
