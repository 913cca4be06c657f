import { describe, expect, it } from 'vitest';
import {
  PRICE_ANCHOR_DATE,
  TRADING_DAYS_PER_YEAR,
  generateDailyCandles,
  returnModel,
  tradingDays,
  type SeedCandle,
} from './price-path.js';
import { hashString, normalAt, uniformAt } from './random.js';
import { SEED_STOCKS, type SeedStock } from './stocks.data.js';

const utc = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));
const TWO_YEARS = { from: utc(2024, 11, 1), to: utc(2026, 10, 30) };

function stock(symbol: string): SeedStock {
  const found = SEED_STOCKS.find((s) => s.symbol === symbol);
  if (!found) throw new Error(`no seed stock ${symbol}`);
  return found;
}

function logReturns(candles: readonly SeedCandle[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < candles.length; i++) {
    out.push(Math.log(Number(candles[i]!.close) / Number(candles[i - 1]!.close)));
  }
  return out;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function stdev(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < a.length; i++) {
    cov += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  return cov / Math.sqrt(va * vb);
}

const twoYearCandles = new Map(
  SEED_STOCKS.map((s) => [s.symbol, generateDailyCandles(s, TWO_YEARS.from, TWO_YEARS.to)] as const),
);

describe('random helpers', () => {
  it('return the same value for the same label, counter and stream', () => {
    const seed = hashString('stock:AAPL');
    expect(uniformAt(seed, 20_000, 3)).toBe(uniformAt(seed, 20_000, 3));
    expect(normalAt(seed, -5)).toBe(normalAt(hashString('stock:AAPL'), -5));
  });

  it('produce uniforms strictly inside (0, 1) and roughly standard normals', () => {
    const seed = hashString('test');
    const us = Array.from({ length: 20_000 }, (_, i) => uniformAt(seed, i));
    expect(Math.min(...us)).toBeGreaterThan(0);
    expect(Math.max(...us)).toBeLessThan(1);
    expect(mean(us)).toBeCloseTo(0.5, 1);
    const zs = Array.from({ length: 20_000 }, (_, i) => normalAt(seed, i));
    expect(Math.abs(mean(zs))).toBeLessThan(0.03);
    expect(stdev(zs)).toBeGreaterThan(0.97);
    expect(stdev(zs)).toBeLessThan(1.03);
  });

  it('give unrelated sequences for different labels', () => {
    const a = Array.from({ length: 5_000 }, (_, i) => normalAt(hashString('stock:AAPL'), i));
    const b = Array.from({ length: 5_000 }, (_, i) => normalAt(hashString('stock:AAPM'), i));
    expect(Math.abs(correlation(a, b))).toBeLessThan(0.05);
  });
});

describe('generateDailyCandles', () => {
  it('is deterministic for the same stock and range', () => {
    const s = stock('AAPL');
    expect(generateDailyCandles(s, TWO_YEARS.from, TWO_YEARS.to)).toEqual(
      generateDailyCandles(s, TWO_YEARS.from, TWO_YEARS.to),
    );
  });

  it('gives identical candles on overlapping days whatever range is requested', () => {
    for (const symbol of ['AAPL', 'BRK.B', 'XOM']) {
      const s = stock(symbol);
      const a = generateDailyCandles(s, utc(2024, 1, 1), utc(2026, 1, 31));
      const b = generateDailyCandles(s, utc(2025, 1, 1), utc(2026, 6, 30));
      const c = generateDailyCandles(s, utc(2026, 1, 14), utc(2026, 1, 14));
      const byDay = new Map(b.map((candle) => [candle.ts.getTime(), candle]));
      const overlap = a.filter((candle) => byDay.has(candle.ts.getTime()));
      expect(overlap.length).toBeGreaterThan(270);
      for (const candle of overlap) expect(byDay.get(candle.ts.getTime())).toEqual(candle);
      expect(c).toHaveLength(1);
      expect(byDay.get(utc(2026, 1, 14).getTime())).toEqual(c[0]);
    }
  });

  it('closes exactly at the seed price on the anchor date', () => {
    for (const s of SEED_STOCKS) {
      const [candle] = generateDailyCandles(s, PRICE_ANCHOR_DATE, PRICE_ANCHOR_DATE);
      expect(candle?.ts).toEqual(PRICE_ANCHOR_DATE);
      expect(candle?.close).toBe(s.price.toFixed(4));
    }
  });

  it('returns only weekdays at UTC midnight, ascending, one per weekday', () => {
    const candles = twoYearCandles.get('MSFT')!;
    expect(candles.map((c) => c.ts)).toEqual(tradingDays(TWO_YEARS.from, TWO_YEARS.to));
    for (const c of candles) {
      expect([1, 2, 3, 4, 5]).toContain(c.ts.getUTCDay());
      expect(c.ts.getTime() % 86_400_000).toBe(0);
    }
    expect(generateDailyCandles(stock('MSFT'), utc(2026, 1, 3), utc(2026, 1, 4))).toEqual([]);
    expect(generateDailyCandles(stock('MSFT'), utc(2026, 2, 1), utc(2026, 1, 1))).toEqual([]);
  });

  it('keeps OHLC invariants, 4-decimal strings and positive volume for every seed stock over two years', () => {
    const decimal4 = /^\d+\.\d{4}$/;
    const problems: string[] = [];
    for (const s of SEED_STOCKS) {
      const candles = twoYearCandles.get(s.symbol)!;
      expect(candles.length).toBeGreaterThan(500);
      for (const c of candles) {
        const at = `${s.symbol} ${c.ts.toISOString().slice(0, 10)}`;
        const [o, h, l, cl] = [Number(c.open), Number(c.high), Number(c.low), Number(c.close)];
        if (![c.open, c.high, c.low, c.close, c.adjClose].every((v) => decimal4.test(v))) problems.push(`${at}: format`);
        if (h < Math.max(o, cl)) problems.push(`${at}: high below body`);
        if (l > Math.min(o, cl)) problems.push(`${at}: low above body`);
        if (!(l > 0)) problems.push(`${at}: low not positive`);
        if (c.adjClose !== c.close) problems.push(`${at}: adjClose differs`);
        if (c.volume <= 0n) problems.push(`${at}: volume not positive`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('opens near the previous close and trades volume around the average', () => {
    for (const s of SEED_STOCKS) {
      const candles = twoYearCandles.get(s.symbol)!;
      const gaps = candles.slice(1).map((c, i) => Math.abs(Math.log(Number(c.open) / Number(candles[i]!.close))));
      expect(Math.max(...gaps)).toBeLessThan(0.15);
      const volumeRatio = mean(candles.map((c) => Number(c.volume))) / s.avgVolume;
      expect(volumeRatio).toBeGreaterThan(0.8);
      expect(volumeRatio).toBeLessThan(1.25);
    }
  });

  it('trades more volume on days with larger absolute returns', () => {
    const pairs = SEED_STOCKS.flatMap((s) => {
      const candles = twoYearCandles.get(s.symbol)!;
      const returns = logReturns(candles);
      return returns.map((r, i) => [Math.abs(r) / returnModel(s).dailyVol, Number(candles[i + 1]!.volume) / s.avgVolume]);
    });
    expect(correlation(pairs.map((p) => p[0]!), pairs.map((p) => p[1]!))).toBeGreaterThan(0.3);
  });

  it('has annualised volatility in a sane band, rising with beta', () => {
    const vols = SEED_STOCKS.map((s) => stdev(logReturns(twoYearCandles.get(s.symbol)!)) * Math.sqrt(TRADING_DAYS_PER_YEAR));
    for (const v of vols) {
      expect(v).toBeGreaterThan(0.14);
      expect(v).toBeLessThan(0.6);
    }
    expect(mean(vols)).toBeGreaterThan(0.2);
    expect(mean(vols)).toBeLessThan(0.4);
    const low = SEED_STOCKS.filter((s) => s.beta <= 0.6).map((s) => returnModel(s).annualVol);
    const high = SEED_STOCKS.filter((s) => s.beta >= 1.5).map((s) => returnModel(s).annualVol);
    expect(Math.max(...low)).toBeLessThan(Math.min(...high));
    for (const s of SEED_STOCKS) {
      expect(returnModel(s).annualVol).toBeGreaterThan(0.18);
      expect(returnModel(s).annualVol).toBeLessThan(0.5);
    }
  });

  it('correlates stocks in the same sector more than stocks across sectors', () => {
    const returns = new Map(SEED_STOCKS.map((s) => [s.symbol, logReturns(twoYearCandles.get(s.symbol)!)] as const));
    const within: number[] = [];
    const across: number[] = [];
    for (let i = 0; i < SEED_STOCKS.length; i++) {
      for (let j = i + 1; j < SEED_STOCKS.length; j++) {
        const a = SEED_STOCKS[i]!;
        const b = SEED_STOCKS[j]!;
        const rho = correlation(returns.get(a.symbol)!, returns.get(b.symbol)!);
        (a.sector === b.sector ? within : across).push(rho);
      }
    }
    expect(mean(across)).toBeGreaterThan(0.1);
    expect(mean(within)).toBeGreaterThan(mean(across) + 0.15);
  });

  it('drifts upward on average across the universe', () => {
    const dailyMeans = SEED_STOCKS.map((s) => mean(logReturns(twoYearCandles.get(s.symbol)!)));
    expect(SEED_STOCKS.every((s) => returnModel(s).drift > 0)).toBe(true);
    // Sample means are noisy; the universe average over two years should not be a crash.
    expect(mean(dailyMeans) * TRADING_DAYS_PER_YEAR).toBeGreaterThan(-0.3);
  });
});
