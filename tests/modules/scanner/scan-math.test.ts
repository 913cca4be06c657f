import { describe, expect, it } from 'vitest';
import { rankHits, scanMany, SCAN_KINDS, toWeekly, type ScanSeries } from '../../../src/modules/scanner/scan-math.js';
import { marketUpTo, MARKET } from './fixtures/candles.js';

// A second, plain implementation of every rule, written with loops over the whole history, to check scan-math.ts against.

type Bars = { ts: number[]; open: number[]; high: number[]; low: number[]; close: number[]; volume: number[] };

function naiveWeekly(daily: ScanSeries): Bars {
  const out: Bars = { ts: [], open: [], high: [], low: [], close: [], volume: [] };
  for (let i = 0; i < daily.ts.length; i++) {
    const date = new Date(daily.ts[i]!);
    const daysSinceMonday = (date.getUTCDay() + 6) % 7;
    const monday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - daysSinceMonday);
    const last = out.ts.length - 1;
    if (last >= 0 && out.ts[last] === monday) {
      if (daily.high[i]! > out.high[last]!) out.high[last] = daily.high[i]!;
      if (daily.low[i]! < out.low[last]!) out.low[last] = daily.low[i]!;
      out.close[last] = daily.close[i]!;
      out.volume[last] += daily.volume[i]!;
    } else {
      out.ts.push(monday);
      out.open.push(daily.open[i]!);
      out.high.push(daily.high[i]!);
      out.low.push(daily.low[i]!);
      out.close.push(daily.close[i]!);
      out.volume.push(daily.volume[i]!);
    }
  }
  return out;
}

function naiveSmaAt(values: number[], n: number, at: number): number | null {
  if (at - n + 1 < 0) return null;
  let sum = 0;
  for (let j = at - n + 1; j <= at; j++) sum += values[j]!;
  return sum / n;
}

/** EMA seeded with the mean of its first n values; entries before that are null. */
function naiveEma(values: number[], n: number): (number | null)[] {
  const out: (number | null)[] = [];
  let current: number | null = null;
  for (let i = 0; i < values.length; i++) {
    if (i === n - 1) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += values[j]!;
      current = sum / n;
    } else if (current !== null) {
      current = current + (2 / (n + 1)) * (values[i]! - current);
    }
    out.push(current);
  }
  return out;
}

function naiveRsiAt(closes: number[], at: number): number | null {
  if (at < 14) return null;
  let gain = 0;
  let loss = 0;
  for (let j = 1; j <= 14; j++) {
    const change = closes[j]! - closes[j - 1]!;
    if (change > 0) gain += change;
    else loss -= change;
  }
  gain /= 14;
  loss /= 14;
  for (let j = 15; j <= at; j++) {
    const change = closes[j]! - closes[j - 1]!;
    gain = (gain * 13 + (change > 0 ? change : 0)) / 14;
    loss = (loss * 13 + (change < 0 ? -change : 0)) / 14;
  }
  return gain + loss === 0 ? 50 : (100 * gain) / (gain + loss);
}

function naiveMacd(closes: number[]): { line: (number | null)[]; signal: (number | null)[] } {
  const fast = naiveEma(closes, 12);
  const slow = naiveEma(closes, 26);
  const line = closes.map((_, i) => (fast[i] !== null && slow[i] !== null ? fast[i]! - slow[i]! : null));
  const first = line.findIndex((v) => v !== null);
  const signal: (number | null)[] = line.map(() => null);
  if (first >= 0) {
    const tail = naiveEma(line.slice(first) as number[], 9);
    for (let i = first; i < line.length; i++) signal[i] = tail[i - first]!;
  }
  return { line, signal };
}

interface Expected {
  kind: string;
  symbol: string;
  value: number;
  changePercent: number;
  volumeRatio: number | null;
  trend: string | null;
  support: number;
  resistance: number;
}

function naiveScan(symbol: string, b: Bars, yearBars: number): Expected[] {
  const n = b.close.length;
  if (n < 2) return [];
  const i = n - 1;
  const change = ((b.close[i]! - b.close[i - 1]!) / b.close[i - 1]!) * 100;
  let volumeRatio: number | null = null;
  if (i >= 20) {
    let sum = 0;
    for (let j = i - 20; j < i; j++) sum += b.volume[j]!;
    if (sum > 0) volumeRatio = b.volume[i]! / (sum / 20);
  }
  let trend: string | null = null;
  const sma50 = naiveSmaAt(b.close, 50, i);
  const sma50Before = naiveSmaAt(b.close, 50, i - 10);
  const sma200 = naiveSmaAt(b.close, 200, i);
  if (sma50 !== null && sma50Before !== null && sma200 !== null) {
    if (sma50 > sma200 && sma50 > sma50Before) trend = 'UP';
    else if (sma50 < sma200 && sma50 < sma50Before) trend = 'DOWN';
    else trend = 'SIDEWAYS';
  }
  const pivot = (b.high[i]! + b.low[i]! + b.close[i]!) / 3;
  const base = { symbol, changePercent: change, volumeRatio, trend, support: 2 * pivot - b.high[i]!, resistance: 2 * pivot - b.low[i]! };
  const out: Expected[] = [];
  const hit = (kind: string, value: number) => out.push({ kind, value, ...base });

  if (change > 0) hit('GAINERS', change);
  if (change < 0) hit('LOSERS', change);
  if (b.volume[i]! > 0) hit('MOST_ACTIVE', b.volume[i]!);
  if (volumeRatio !== null && volumeRatio > 2) hit('UNUSUAL_VOLUME', volumeRatio);
  if (i >= 50) {
    let high20 = -Infinity, high50 = -Infinity, low20 = Infinity, low50 = Infinity;
    for (let j = i - 50; j < i; j++) {
      high50 = Math.max(high50, b.high[j]!);
      low50 = Math.min(low50, b.low[j]!);
      if (j >= i - 20) {
        high20 = Math.max(high20, b.high[j]!);
        low20 = Math.min(low20, b.low[j]!);
      }
    }
    if (b.close[i]! > high20 && b.close[i]! > high50) hit('BREAKOUT', (b.close[i]! / high50 - 1) * 100);
    if (b.close[i]! < low20 && b.close[i]! < low50) hit('BREAKDOWN', (b.close[i]! / low50 - 1) * 100);
  }
  if (n >= yearBars) {
    let high = -Infinity, low = Infinity;
    for (let j = n - yearBars; j < i; j++) {
      high = Math.max(high, b.high[j]!);
      low = Math.min(low, b.low[j]!);
    }
    if (b.high[i]! > high) hit('NEW_HIGH', (b.high[i]! / high - 1) * 100);
    if (b.low[i]! < low) hit('NEW_LOW', (b.low[i]! / low - 1) * 100);
  }
  const rsi = naiveRsiAt(b.close, i);
  if (rsi !== null && rsi > 70) hit('OVERBOUGHT', rsi);
  if (rsi !== null && rsi < 30) hit('OVERSOLD', rsi);
  const { line, signal } = naiveMacd(b.close);
  if (line[i] !== null && signal[i] !== null && line[i - 1] !== null && signal[i - 1] !== null) {
    if (line[i - 1]! <= signal[i - 1]! && line[i]! > signal[i]!) hit('MACD_BULLISH_CROSS', line[i]! - signal[i]!);
    if (line[i - 1]! >= signal[i - 1]! && line[i]! < signal[i]!) hit('MACD_BEARISH_CROSS', line[i]! - signal[i]!);
  }
  return out;
}

const ASCENDING = ['LOSERS', 'BREAKDOWN', 'NEW_LOW', 'OVERSOLD', 'MACD_BEARISH_CROSS'];

/** Every kind's hits, ranked by plain sorting: rank 1 first, ties by symbol. */
function naiveRanking(market: ScanSeries[], timeframe: 'DAILY' | 'WEEKLY') {
  const all = market.flatMap((s) => naiveScan(s.symbol, timeframe === 'WEEKLY' ? naiveWeekly(s) : s, timeframe === 'WEEKLY' ? 52 : 252));
  const out: (Expected & { rank: number })[] = [];
  for (const kind of SCAN_KINDS) {
    const sign = ASCENDING.includes(kind) ? 1 : -1;
    const hits = all.filter((h) => h.kind === kind).sort((a, b) => sign * (a.value - b.value) || a.symbol.localeCompare(b.symbol));
    hits.forEach((h, index) => out.push({ ...h, rank: index + 1 }));
  }
  return out;
}

function computed(market: ScanSeries[], timeframe: 'DAILY' | 'WEEKLY') {
  return rankHits(scanMany(market, timeframe)).map((h) => ({
    kind: h.kind,
    rank: h.rank,
    symbol: h.scan.symbol,
    value: h.value,
    changePercent: h.scan.changePercent,
    volumeRatio: h.scan.volumeRatio,
    trend: h.scan.trend,
    support: h.scan.support,
    resistance: h.scan.resistance,
  }));
}

function expectSameHits(actual: ReturnType<typeof computed>, expected: ReturnType<typeof naiveRanking>) {
  const key = (h: { kind: string; rank: number; symbol: string; trend: string | null }) => `${h.kind}#${h.rank}:${h.symbol}:${h.trend}`;
  expect(actual.map(key)).toEqual(expected.map(key));
  actual.forEach((hit, i) => {
    const want = expected[i]!;
    for (const field of ['value', 'changePercent', 'support', 'resistance'] as const) expect(hit[field]).toBeCloseTo(want[field], 8);
    if (want.volumeRatio === null) expect(hit.volumeRatio).toBeNull();
    else expect(hit.volumeRatio).toBeCloseTo(want.volumeRatio, 8);
  });
}

describe('scan maths against a brute-force computation over the same candles', () => {
  for (const timeframe of ['DAILY', 'WEEKLY'] as const) {
    it(`finds and ranks every ${timeframe} kind exactly as the plain implementation does, on each of the last 60 days`, () => {
      const seen = new Set<string>();
      for (let daysBack = 0; daysBack < 60; daysBack++) {
        const market = marketUpTo(daysBack);
        const expected = naiveRanking(market, timeframe);
        expectSameHits(computed(market, timeframe), expected);
        for (const hit of expected) seen.add(hit.kind);
      }
      // The fixture is only a test of a kind if the kind turns up in it.
      expect([...seen].sort()).toEqual([...SCAN_KINDS].sort());
    });
  }

  it('gives a trend to DAILY scans with 210 bars of history and none with less', () => {
    const scans = scanMany(MARKET, 'DAILY');
    expect(scans.find((s) => s.symbol === 'UPPA')!.trend).not.toBeNull();
    expect(scans.find((s) => s.symbol === 'SHRT')!.trend).toBeNull();
    expect(new Set(scans.map((s) => s.trend))).toEqual(new Set(['UP', 'DOWN', 'SIDEWAYS', null]));
  });

  it('leaves out a symbol with a single candle and aggregates weeks from Monday', () => {
    expect(scanMany(MARKET, 'DAILY').map((s) => s.symbol)).not.toContain('ONEB');
    const weeks = toWeekly(MARKET[0]!);
    expect(weeks.ts.every((ts) => new Date(ts).getUTCDay() === 1)).toBe(true);
    expect(weeks.volume.reduce((a, b) => a + b, 0)).toBe(MARKET[0]!.volume.reduce((a, b) => a + b, 0));
  });
});
