import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { randomCandles } from '../../../../tests/modules/indicator/fixtures/random-candles.js';
import { computeSeries } from './series.js';
import { createIndicatorState, type IndicatorState } from './state.js';
import type { IndicatorCandle } from './types.js';

const candles = randomCandles(300, 7);
const batch = computeSeries(candles);

const roundTrip = (state: IndicatorState) => createIndicatorState(JSON.parse(JSON.stringify(state)));

/** An intraday version of a daily candle: same timestamp, different prices so far. */
function revisionOf(candle: IndicatorCandle, k: number): IndicatorCandle {
  const close = Math.round(candle.close * (1 + 0.013 * (k + 1) * (k % 2 ? -1 : 1)) * 10_000) / 10_000;
  return { ...candle, close, high: Math.max(candle.high, close), low: Math.min(candle.low, close), volume: Math.floor(candle.volume / (k + 2)) };
}

describe('IndicatorState', () => {
  it('agrees exactly with computeSeries, candle by candle, over 300 random candles', () => {
    const state = createIndicatorState();
    expect(state.latest()).toBeNull();
    const pushed = candles.map((candle) => state.push(candle));
    expect(pushed).toEqual(batch);
    expect(state.latest()).toEqual(batch.at(-1));
    expect(state.count).toBe(300);
  });

  it('agrees exactly when saved to JSON and restored before every push', () => {
    let state = createIndicatorState();
    const pushed = candles.map((candle) => {
      state = roundTrip(state);
      return state.push(candle);
    });
    expect(pushed).toEqual(batch);
  });

  it('keeps a bounded JSON: the last 201 closes and two sets of accumulators', () => {
    const state = createIndicatorState();
    for (const candle of candles) state.push(candle);
    const json = state.toJSON();
    expect(json.closes).toHaveLength(201);
    expect(json.closes[299 % 201]).toBe(candles[299]!.close);
    expect(JSON.stringify(state).length).toBeLessThan(8_000);
  });

  it('replaces the latest candle when one with the same timestamp is pushed, at every position', () => {
    const state = createIndicatorState();
    candles.forEach((candle, i) => {
      for (let k = 0; k < 1 + (i % 3); k++) {
        const revision = revisionOf(candle, k);
        expect(state.push(revision)).toEqual(computeSeries([...candles.slice(0, i), revision]).at(-1));
        expect(state.count).toBe(i + 1);
      }
      expect(state.push(candle)).toEqual(batch[i]);
    });
    expect(state.latest()).toEqual(batch.at(-1));
  });

  it('replaces the latest candle of a restored state, and again after that', () => {
    const state = createIndicatorState();
    for (const candle of candles.slice(0, 250)) state.push(candle);
    const restored = roundTrip(state);
    const revised = revisionOf(candles[249]!, 0);
    expect(restored.push(revised)).toEqual(computeSeries([...candles.slice(0, 249), revised]).at(-1));
    const again = roundTrip(restored);
    expect(again.push(candles[249]!)).toEqual(batch[249]);
    expect(again.push(candles[250]!)).toEqual(batch[250]);
  });

  it('accepts timestamps as epoch milliseconds as well as Dates', () => {
    const state = createIndicatorState();
    const values = candles.slice(0, 30).map((c) => state.push({ ...c, timestamp: (c.timestamp as Date).getTime() }));
    expect(values).toEqual(batch.slice(0, 30));
  });

  it('refuses an older candle or a non-finite price and stays as it was', () => {
    const state = createIndicatorState();
    for (const candle of candles.slice(0, 40)) state.push(candle);
    const before = JSON.stringify(state);
    expect(() => state.push(candles[10]!)).toThrow(/older than the latest/);
    expect(() => state.push({ ...candles[40]!, high: Number.POSITIVE_INFINITY })).toThrow(/high must be a finite number/);
    expect(JSON.stringify(state)).toBe(before);
    expect(state.push(candles[40]!)).toEqual(batch[40]);
  });

  it('refuses to restore something that is not a saved state', () => {
    expect(() => createIndicatorState({})).toThrow(TypeError);
    const saved = JSON.parse(JSON.stringify((() => {
      const state = createIndicatorState();
      state.push(candles[0]!);
      return state;
    })()));
    expect(() => createIndicatorState({ ...saved, version: 99 })).toThrow(/not a saved IndicatorState/);
    expect(() => createIndicatorState({ ...saved, closes: [] })).toThrow(/closes do not match/);
  });
});

describe('IndicatorState reusing its accumulators', () => {
  const long = randomCandles(5_000, 11);
  const longBatch = computeSeries(long);

  it('agrees exactly with computeSeries over 5,000 candles with revisions and restores along the way', () => {
    let state = createIndicatorState();
    long.forEach((candle, i) => {
      if (i % 7 === 3) {
        const revision = revisionOf(candle, i % 3);
        const revised = state.push(revision);
        if (i % 700 === 3) expect(revised).toEqual(computeSeries([...long.slice(0, i), revision]).at(-1));
      }
      if (i % 97 === 0) state = roundTrip(state);
      expect(state.push(candle)).toEqual(longBatch[i]);
    });
  });

  it('never changes the values an earlier push returned', () => {
    const state = createIndicatorState();
    const kept = long.slice(0, 400).map((candle) => state.push(candle));
    state.push(revisionOf(long[399]!, 1));
    for (const candle of long.slice(400, 450)) state.push(candle);
    expect(kept).toEqual(longBatch.slice(0, 400));
  });

  it('restores a state saved in the version 1 format and writes that format back unchanged', async () => {
    const saved = JSON.parse(readFileSync(new URL('../../../../tests/modules/indicator/fixtures/state-v1-after-250.json', import.meta.url), 'utf8'));
    const state = createIndicatorState();
    for (const candle of candles.slice(0, 250)) state.push(candle);
    expect(JSON.parse(JSON.stringify(state))).toEqual(saved);
    const restored = createIndicatorState(saved);
    expect(candles.slice(250).map((candle) => restored.push(candle))).toEqual(batch.slice(250));
  });
});
