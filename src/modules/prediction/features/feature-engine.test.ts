import { describe, expect, it } from 'vitest';
import { computeFeatures, computeFeatureTasks, FEATURE_LOOKBACK } from './feature-engine.js';

// A tiny deterministic fixture: 260 sessions of a wavy, trending series.
const N = 260;
// Prices in cents, as stored (the engine sums prices in millionths).
const close = Array.from({ length: N }, (_, i) => Math.round(100 * (100 + i * 0.1 + 5 * Math.sin(i / 7) + ((i * 37) % 11) / 10)) / 100);
const high = close.map((c, i) => c + 1 + (i % 3) / 2);
const low = close.map((c, i) => c - 1 - (i % 4) / 3);
const volume = close.map((_, i) => 1_000_000 + ((i * 7919) % 50_000));
const ts = close.map((_, i) => Date.UTC(2025, 0, 1) + i * 86_400_000);
const rows = computeFeatures({ ts, high, low, close, volume });

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const close_ = (a: number | null, e: number) => expect(Math.abs(a! - e)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));

/** Brute-force EMA seeded with the simple mean of the first n values. */
function emaAt(xs: number[], n: number, i: number): number {
  let v = mean(xs.slice(0, n));
  for (let j = n; j <= i; j++) v += (2 / (n + 1)) * (xs[j]! - v);
  return v;
}

describe('engineered features against a brute-force computation', () => {
  it('computes returns, lagged returns and the volume z-score from their definitions', () => {
    const i = 250;
    close_(rows[i]!.return1, close[i]! / close[i - 1]! - 1);
    close_(rows[i]!.return5, close[i]! / close[i - 5]! - 1);
    close_(rows[i]!.return20, close[i]! / close[i - 20]! - 1);
    for (let k = 1; k <= 5; k++) close_((rows[i] as any)[`lagReturn${k}`], close[i - k]! / close[i - k - 1]! - 1);
    const v = volume.slice(i - 19, i + 1);
    close_(rows[i]!.volumeZ20, (volume[i]! - mean(v)) / sd(v));
    expect(rows[4]!.return5).toBeNull();
    expect(rows[5]!.lagReturn5).toBeNull();
    expect(rows[6]!.lagReturn5).not.toBeNull();
  });

  it('annualises the 20-session stdev of log returns', () => {
    const i = 200;
    const logs = Array.from({ length: 20 }, (_, k) => Math.log(close[i - 19 + k]! / close[i - 20 + k]!));
    close_(rows[i]!.volatility20, sd(logs) * Math.sqrt(252));
    expect(rows[19]!.volatility20).toBeNull();
  });

  it('computes the moving-average ratios and the Bollinger position', () => {
    const i = 230;
    const smaN = (n: number, at = i) => mean(close.slice(at - n + 1, at + 1));
    close_(rows[i]!.closeSma20, close[i]! / smaN(20));
    close_(rows[i]!.closeSma50, close[i]! / smaN(50));
    close_(rows[i]!.sma50Sma200, smaN(50) / smaN(200));
    const w = close.slice(i - 19, i + 1);
    const m = mean(w);
    const psd = Math.sqrt(w.reduce((a, x) => a + (x - m) ** 2, 0) / 20);
    close_(rows[i]!.bollingerPosition, (close[i]! - (m - 2 * psd)) / (4 * psd));
    expect(rows[198]!.sma50Sma200).toBeNull();
  });

  it('computes RSI14, MACD 12/26/9 and ATR14 with Wilder and EMA smoothing', () => {
    const i = 240;
    const changes = close.slice(1).map((c, j) => c - close[j]!);
    let g = mean(changes.slice(0, 14).map((c) => Math.max(c, 0)));
    let l = mean(changes.slice(0, 14).map((c) => Math.max(-c, 0)));
    for (let j = 14; j < i; j++) {
      g = (g * 13 + Math.max(changes[j]!, 0)) / 14;
      l = (l * 13 + Math.max(-changes[j]!, 0)) / 14;
    }
    close_(rows[i]!.rsi14, (100 * g) / (g + l));
    const line = close.map((_, j) => (j >= 25 ? emaAt(close, 12, j) - emaAt(close, 26, j) : Number.NaN));
    const lineTail = line.slice(25);
    close_(rows[i]!.macd, line[i]!);
    close_(rows[i]!.macdSignal, emaAt(lineTail, 9, i - 25));
    close_(rows[i]!.macdHistogram, line[i]! - emaAt(lineTail, 9, i - 25));
    const tr = close.map((_, j) => (j === 0 ? high[0]! - low[0]! : Math.max(high[j]! - low[j]!, Math.abs(high[j]! - close[j - 1]!), Math.abs(low[j]! - close[j - 1]!))));
    let atr = mean(tr.slice(0, 14));
    for (let j = 14; j <= i; j++) atr = (atr * 13 + tr[j]!) / 14;
    close_(rows[i]!.atr14, atr);
  });

  it('resumed from a look-back window equals a recompute from the first candle', () => {
    const long = 900;
    const c = Array.from({ length: long }, (_, i) => 50 + 10 * Math.sin(i / 13) + i * 0.02);
    const input = { ts: c.map((_, i) => i), high: c.map((x) => x + 1), low: c.map((x) => x - 1), close: c, volume: c.map((_, i) => 1000 + (i % 17)) };
    const full = computeFeatures(input);
    const after = 850;
    const from = after - FEATURE_LOOKBACK;
    const slice = (xs: number[]) => xs.slice(from);
    const [resumed] = computeFeatureTasks([{ symbol: 'X', writeAfter: after, ts: slice(input.ts), high: slice(input.high), low: slice(input.low), close: slice(c), volume: slice(input.volume) }]);
    expect(resumed!.rows.map((r) => r.ts)).toEqual(full.slice(after + 1).map((r) => r.ts));
    resumed!.rows.forEach((row, k) => {
      const expected = full[after + 1 + k]!;
      for (const [key, value] of Object.entries(row)) close_(value as number, (expected as any)[key]);
    });
  });
});
