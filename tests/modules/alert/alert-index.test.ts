import { describe, expect, it } from 'vitest';
import { AlertIndex, evaluate, type AlertCondition, type AlertSpec, type Observation } from '../../../src/modules/alert/alert-index.js';

function spec(id: string, condition: AlertCondition, over: Partial<AlertSpec> = {}): AlertSpec {
  return {
    id,
    userId: 'u1',
    symbol: 'AAPL',
    condition,
    threshold: 100,
    scanKind: null,
    screenerId: null,
    cooldownSeconds: 0,
    ...over,
  };
}

/** Feeds observations one second apart and returns how many times the alert fired on each. */
function run(alert: AlertSpec, observations: Observation[]): number[] {
  const index = new AlertIndex();
  index.upsert(alert);
  return observations.map((o, i) => index.observe(alert.symbol, o, 1_000_000 + i * 1000).length);
}

describe('alert conditions with hysteresis', () => {
  it('PRICE_ABOVE fires once per crossing and re-arms only below the level minus the 0.5 % band', () => {
    // 100 level, band 0.5 -> re-arms below 99.5; 99.8 is inside the band and must not re-arm.
    const prices = [99, 100.2, 99.8, 100.1, 101, 99.4, 100.5];
    expect(run(spec('a', 'PRICE_ABOVE'), prices.map((price) => ({ price })))).toEqual([0, 1, 0, 0, 0, 0, 1]);
  });

  it('PRICE_BELOW fires once per crossing and re-arms only above the level plus the band', () => {
    const prices = [101, 99.9, 100.3, 99, 100.6, 100];
    expect(run(spec('a', 'PRICE_BELOW'), prices.map((price) => ({ price })))).toEqual([0, 1, 0, 0, 0, 1]);
  });

  it('PERCENT_MOVE fires on an absolute session move of at least the threshold in either direction', () => {
    // threshold 5 %, band 0.5 points: re-arms below 4.5 %.
    const alert = spec('a', 'PERCENT_MOVE', { threshold: 5 });
    const prices = [102, 105, 104.8, 104, 95, 100];
    expect(run(alert, prices.map((price) => ({ price, sessionReference: 100 })))).toEqual([0, 1, 0, 0, 1, 0]);
  });

  it('RSI_ABOVE and RSI_BELOW use a two point band', () => {
    const rsis = [65, 71, 69, 72, 67, 70];
    expect(run(spec('a', 'RSI_ABOVE', { threshold: 70 }), rsis.map((rsi) => ({ rsi })))).toEqual([0, 1, 0, 0, 0, 1]);
    const lows = [35, 29, 31, 28, 33, 30];
    expect(run(spec('b', 'RSI_BELOW', { threshold: 30 }), lows.map((rsi) => ({ rsi })))).toEqual([0, 1, 0, 0, 0, 1]);
  });

  it('VOLUME_SPIKE compares session volume with threshold times the 20-session average', () => {
    // 3x of 1000: fires at 3000, re-arms below 2700.
    const alert = spec('a', 'VOLUME_SPIKE', { threshold: 3 });
    const volumes = [1000, 3000, 2800, 3500, 2600, 3100];
    expect(run(alert, volumes.map((volume) => ({ volume, averageVolume20: 1000 })))).toEqual([0, 1, 0, 0, 0, 1]);
  });

  it('SCAN fires when the symbol appears in the scan kind and re-arms after a run without it', () => {
    const alert = spec('a', 'SCAN', { threshold: null, scanKind: 'GOLDEN_CROSS' });
    const runs = [[], ['GOLDEN_CROSS'], ['GOLDEN_CROSS', 'RSI_OVERSOLD'], ['RSI_OVERSOLD'], ['GOLDEN_CROSS']];
    expect(run(alert, runs.map((kinds) => ({ scanKinds: new Set(kinds) })))).toEqual([0, 1, 0, 0, 1]);
  });

  it('SCREENER_ENTER and SCREENER_LEAVE fire on the transition only, and ignore runs of other screeners', () => {
    const evaluated = new Set(['s1']);
    const obs: Observation[] = [
      { inScreeners: new Set(), screenersEvaluated: evaluated },
      { inScreeners: new Set(['s1']), screenersEvaluated: evaluated },
      { inScreeners: new Set(['s1']), screenersEvaluated: evaluated },
      { inScreeners: new Set(), screenersEvaluated: new Set(['s2']) },
      { inScreeners: new Set(), screenersEvaluated: evaluated },
    ];
    expect(run(spec('a', 'SCREENER_ENTER', { threshold: null, screenerId: 's1' }), obs)).toEqual([0, 1, 0, 0, 0]);
    expect(run(spec('b', 'SCREENER_LEAVE', { threshold: null, screenerId: 's1' }), obs)).toEqual([1, 0, 0, 0, 1]);
  });

  it('SENTIMENT_SWING fires on each update whose score moved by at least the threshold', () => {
    const alert = spec('a', 'SENTIMENT_SWING', { threshold: 0.3 });
    const obs = [
      { sentimentScore: 0.1, previousSentimentScore: 0 },
      { sentimentScore: 0.5, previousSentimentScore: 0.1 },
      { sentimentScore: 0.1, previousSentimentScore: 0.5 },
      { sentimentScore: 0.15, previousSentimentScore: 0.1 },
      { sentimentScore: -0.2, previousSentimentScore: 0.15 },
    ];
    // The second swing follows the first without a calm update between: still one firing per crossing.
    expect(run(alert, obs)).toEqual([0, 1, 0, 0, 1]);
  });

  it('an observation without the alert’s input neither fires nor re-arms it', () => {
    const prices: Observation[] = [{ price: 101 }, { rsi: 50 }, { price: 101 }];
    expect(run(spec('a', 'PRICE_ABOVE'), prices)).toEqual([1, 0, 0]);
  });
});

describe('cooldown', () => {
  it('swallows a second crossing inside the cooldown and fires again after it', () => {
    const index = new AlertIndex();
    index.upsert(spec('a', 'PRICE_ABOVE', { cooldownSeconds: 60 }));
    const at = (s: number, price: number) => index.observe('AAPL', { price }, s * 1000).length;
    expect([at(0, 101), at(10, 99), at(20, 101), at(30, 99), at(70, 101)]).toEqual([1, 0, 0, 0, 1]);
  });
});

describe('symbol index', () => {
  it('examines only the alerts a tick changes, however many alerts its symbol and other symbols hold', () => {
    const index = new AlertIndex();
    for (let s = 0; s < 50; s++) {
      for (let k = 0; k < 20; k++) index.upsert(spec(`${s}-${k}`, 'PRICE_ABOVE', { symbol: `S${s}`, threshold: 100 + k }));
    }
    index.upsert(spec('x1', 'PRICE_BELOW', { symbol: 'LONE' }));
    index.upsert(spec('x2', 'PRICE_ABOVE', { symbol: 'LONE' }));
    index.evaluations = 0;
    // 50 is below every S7 level: nothing changes, nothing is examined.
    expect(index.observe('S7', { price: 50 })).toEqual([]);
    expect(index.evaluations).toBe(0);
    // 104.5 crosses the levels 100..104 and no others.
    expect(index.observe('S7', { price: 104.5 }).map((f) => f.alert.threshold)).toEqual([100, 101, 102, 103, 104]);
    expect(index.evaluations).toBe(5);
    // 102 re-arms those whose band it left (103 and 104 re-arm below 102.485 and 103.48); 100..102 stay in their band.
    index.evaluations = 0;
    expect(index.observe('S7', { price: 102 })).toEqual([]);
    expect(index.evaluations).toBe(2);
    expect(index.forSymbol('S7').filter((a) => a.armed).map((a) => a.threshold).sort((a, b) => a! - b!)).toEqual(
      [103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119],
    );
    index.evaluations = 0;
    expect(index.observe('LONE', { price: 50 }).map((f) => f.alert.id)).toEqual(['x1']);
    index.observe('NOBODY', { price: 50 });
    expect(index.evaluations).toBe(1);
  });

  it('agrees with evaluating every alert one by one on a random walk through many levels', () => {
    const conditions: AlertCondition[] = ['PRICE_ABOVE', 'PRICE_BELOW', 'PERCENT_MOVE', 'RSI_ABOVE', 'RSI_BELOW', 'VOLUME_SPIKE'];
    const specs = Array.from({ length: 300 }, (_, i) =>
      spec(`a${i}`, conditions[i % conditions.length]!, { threshold: [90 + (i % 25), 90 + (i % 25), 1 + (i % 9), 50 + (i % 40), 10 + (i % 40), 1 + (i % 5) / 2][i % 6]!, cooldownSeconds: i % 3 }),
    );
    const indexed = new AlertIndex();
    for (const s of specs) indexed.upsert(s);
    // The reference: every alert evaluated one by one with `evaluate`, hysteresis and cooldown applied by hand.
    const reference = specs.map((s) => ({ ...s, armed: true, lastFiredAt: null as number | null }));
    const referenceObserve = (o: Observation, at: number) =>
      reference.flatMap((alert) => {
        const { state } = evaluate(alert, o);
        if (state === 'FALSE') alert.armed = true;
        if (state !== 'TRUE' || !alert.armed) return [];
        alert.armed = false;
        if (alert.lastFiredAt !== null && at - alert.lastFiredAt < alert.cooldownSeconds * 1000) return [];
        alert.lastFiredAt = at;
        return [alert.id];
      });
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    let price = 100;
    let firings = 0;
    for (let step = 0; step < 400; step++) {
      price = Math.max(80, Math.min(125, price + (random() - 0.5) * 4));
      const o: Observation = { price, sessionReference: 100, rsi: price - 50, volume: price * 20, averageVolume20: 1000 };
      const at = 1_000_000 + step * 700;
      const got = indexed.observe('AAPL', o, at).map((f) => f.alert.id).sort();
      const want = referenceObserve(o, at).sort();
      expect(got).toEqual(want);
      firings += got.length;
    }
    // Not vacuous: the walk crosses levels of every kind many times.
    expect(firings).toBeGreaterThan(300);
  });

  it('removing an alert takes it out of its symbol and an upsert moves it to its new symbol', () => {
    const index = new AlertIndex();
    index.upsert(spec('a', 'PRICE_ABOVE'));
    index.upsert(spec('b', 'PRICE_ABOVE'));
    index.remove('a');
    expect(index.forSymbol('AAPL').map((a) => a.id)).toEqual(['b']);
    index.upsert(spec('b', 'PRICE_ABOVE', { symbol: 'MSFT' }));
    expect(index.forSymbol('AAPL')).toEqual([]);
    expect(index.forSymbol('MSFT').map((a) => a.id)).toEqual(['b']);
    expect(index.size).toBe(1);
  });
});
