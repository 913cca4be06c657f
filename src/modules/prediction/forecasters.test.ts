import { describe, expect, it } from 'vitest';
import { bestModel, type RankedModel } from './best-model.js';
import { foldCutoffs, horizonMetrics, summarise, walkForward } from './backtest.js';
import type { FittedModel, Forecaster, SeriesWindow } from './forecaster.js';
import { holtForecast, holtRun, HoltForecaster } from './models/holt.forecaster.js';
import { NaiveForecaster } from './models/naive.forecaster.js';
import { quantile } from './models/stats.js';

const window = (closes: number[], symbol = 'X'): SeriesWindow => ({
  symbol,
  dates: closes.map((_, i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10)),
  closes,
  features: closes.map(() => []),
  featureNames: [],
});

describe('the naive forecaster', () => {
  it('forecasts the last close with a band from the 10th and 90th percentile of horizon returns', async () => {
    // 2-session returns of [100, 110, 99, 121, 100]: 99/100-1 = -0.01, 121/110-1 = 0.1, 100/99-1 = 0.010101...
    const fitted = await new NaiveForecaster().fit([window([100, 110, 99, 121, 100])], [2]);
    const f = fitted.forecast(window([100, 110, 99, 121, 100]), 2);
    expect(f.targetPrice).toBe(100);
    // sorted [-0.01, 0.010101, 0.1]; q10 at position 0.2: -0.01 + 0.2 * 0.020101 = -0.0059798; q90 at 1.8: 0.010101 + 0.8 * 0.089899 = 0.0820202
    expect(f.low).toBeCloseTo(100 * (1 - 0.0059798), 3);
    expect(f.high).toBeCloseTo(100 * (1 + 0.0820202), 3);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });
});

describe('Holt exponential smoothing', () => {
  it('runs the level and trend recursions as computed by hand', () => {
    // y = [10, 12, 13], alpha 0.5, beta 0.5, phi 1: l0 = 10, b0 = 2.
    // t=1: l = 0.5*12 + 0.5*(12) = 12, b = 0.5*2 + 0.5*2 = 2. t=2: pred 14, err -1, l = 0.5*13 + 0.5*14 = 13.5, b = 0.5*1.5 + 0.5*2 = 1.75.
    const run = holtRun([10, 12, 13], { alpha: 0.5, beta: 0.5, phi: 1 });
    expect(run).toEqual({ level: 13.5, trend: 1.75, sse: 1, errors: 1 });
    expect(holtForecast(run, 1, 2)).toBe(17);
    // Damped: 13.5 + (0.5 + 0.25) * 1.75
    expect(holtForecast(run, 0.5, 2)).toBe(13.5 + 0.75 * 1.75);
  });

  it('follows exact exponential growth on log closes', async () => {
    const closes = Array.from({ length: 60 }, (_, i) => 100 * 1.01 ** i);
    const fitted = new HoltForecaster().load({ alpha: 0.5, beta: 0.5, phi: 1, sigma: 0.01 });
    const f = fitted.forecast(window(closes), 10);
    expect(f.targetPrice).toBeCloseTo(100 * 1.01 ** 69, 6);
    expect(f.low).toBeLessThan(f.targetPrice);
    expect(f.high).toBeGreaterThan(f.targetPrice);
    const trained = await new HoltForecaster().fit([window(closes)]);
    expect(trained.forecast(window(closes), 1).targetPrice).toBeCloseTo(100 * 1.01 ** 60, 0);
  });
});

describe('backtest metrics', () => {
  it('computes MAE, MAPE, directional accuracy and skill against naive', () => {
    const m = horizonMetrics([
      { horizon: 7, last: 100, predicted: 110, actual: 120 },
      { horizon: 7, last: 100, predicted: 95, actual: 105 },
    ]);
    // errors 10, 10; naive errors 20, 5; MAPE (10/120 + 10/105) / 2; directions UP/UP hit, DOWN/UP miss.
    expect(m.mae).toBe(10);
    expect(m.maeNaive).toBe(12.5);
    expect(m.skill).toBeCloseTo(0.2, 12);
    expect(m.mape).toBeCloseTo((100 * (10 / 120 + 10 / 105)) / 2, 12);
    expect(m.directionalAccuracy).toBe(0.5);
    expect(m.beatsNaive).toBe(true);
    const s = summarise([{ horizon: 7, last: 100, predicted: 130, actual: 110 }], [7, 30], 1);
    expect(s.horizons['7']!.skill).toBe(-1);
    expect(s).toMatchObject({ skill: -1, beatsNaive: false });
  });
});

describe('walk-forward backtest', () => {
  it('never hands a model a session after its fold cut-off', async () => {
    // Future sessions are poisoned: a model that read one would forecast NaN or something astronomical.
    const closes = Array.from({ length: 200 }, (_, i) => 100 + i);
    const seen: { cutoff: string; lastDate: string; lengths: number[] }[] = [];
    const spy: Forecaster = {
      type: 'NAIVE', name: 'spy', version: '1', parameters: {},
      async fit(training): Promise<FittedModel> {
        const w = training[0]!;
        seen.push({ cutoff: w.dates.at(-1)!, lastDate: w.dates.at(-1)!, lengths: [w.dates.length, w.closes.length, w.features.length] });
        const mean = w.closes.reduce((a, b) => a + b, 0) / w.closes.length;
        return {
          forecast: (series, horizon) => {
            expect(series.dates.at(-1)).toBe(w.dates.at(-1));
            return { horizon, targetPrice: mean, low: mean, high: mean, confidence: 0.5 };
          },
          save: () => ({}),
        };
      },
      load: () => { throw new Error('unused'); },
    };
    const metrics = await walkForward(spy, [window(closes)], [7], { folds: 4 });
    expect(seen.map((f) => f.cutoff)).toEqual(foldCutoffs([window(closes)], [7], { folds: 4 }));
    for (const fold of seen) {
      const end = window(closes).dates.indexOf(fold.cutoff);
      expect(fold.lengths).toEqual([end + 1, end + 1, end + 1]);
    }
    // The mean of closes[0..end] is 100 + end / 2: MAE by hand over the folds.
    const ends = seen.map((f) => window(closes).dates.indexOf(f.cutoff));
    const mae = ends.reduce((a, end) => a + Math.abs(100 + end / 2 - (100 + end + 7)), 0) / ends.length;
    expect(metrics.horizons['7']!.mae).toBeCloseTo(mae, 9);
    expect(Number.isFinite(metrics.skill)).toBe(true);
  });
});

describe('best-model selection', () => {
  const model = (id: number, type: string, skill: number, status: RankedModel['status'] = 'ACTIVE'): RankedModel => ({
    id, name: `m${id}`, type, status, metrics: { skill, beatsNaive: skill > 0 },
  });

  it('picks the ACTIVE model with the highest skill that beats naive', () => {
    expect(bestModel([model(1, 'NAIVE', 0), model(2, 'EXPONENTIAL_SMOOTHING', 0.1), model(3, 'LSTM', 0.3), model(4, 'LSTM', 0.9, 'DEPRECATED')])?.id).toBe(3);
  });

  it('shows naive when no model beats it', () => {
    expect(bestModel([model(1, 'NAIVE', 0), model(2, 'EXPONENTIAL_SMOOTHING', -0.2), model(3, 'LSTM', 0)])?.id).toBe(1);
    expect(bestModel([])).toBeNull();
  });
});
