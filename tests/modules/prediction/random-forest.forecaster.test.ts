import { afterAll, describe, expect, it } from 'vitest';
import { RandomForestForecaster } from '../../../src/modules/prediction/models/random-forest.forecaster.js';
import { closeSharedModelTraining, createModelTraining, sharedModelTraining } from '../../../src/workers/model-training-pool.js';
import { heldOutErrors } from './fixtures/scoring.js';
import { head, poisoned, sineSeries } from './fixtures/synthetic.js';

const training = [0, 1, 2, 3].map((i) => sineSeries(`S${i}`, 200, 11 + i, i * 0.9));
const heldOut = sineSeries('HELD', 120, 99, 2.2);
const inline = new RandomForestForecaster({ trees: 20 }, { training: 'inline' });
const fitted = inline.fit(training, [1, 5]);
const pool = createModelTraining(1);

afterAll(async () => {
  await pool.close();
  await closeSharedModelTraining();
});

describe('RandomForestForecaster', () => {
  it('records its parameters, seed included', () => {
    expect(inline.type).toBe('RANDOM_FOREST');
    expect(inline.parameters).toMatchObject({ trees: 20, seed: 42, lags: 3 });
  });

  it('beats the naive last-value forecast on a held-out sine-plus-trend series', async () => {
    const model = await fitted;
    for (const horizon of [1, 5]) {
      const errors = heldOutErrors(model, heldOut, 30, horizon);
      expect(errors.model).toBeLessThan(errors.naive * 0.6);
    }
  });

  it('gives a band around the target price and a confidence between 0 and 1', async () => {
    const forecast = (await fitted).forecast(heldOut, 5);
    expect(forecast.horizon).toBe(5);
    expect(forecast.low).toBeLessThanOrEqual(forecast.targetPrice);
    expect(forecast.high).toBeGreaterThanOrEqual(forecast.targetPrice);
    expect(forecast.high).toBeGreaterThan(forecast.low);
    expect(forecast.confidence).toBeGreaterThanOrEqual(0);
    expect(forecast.confidence).toBeLessThanOrEqual(1);
  });

  it('reads nothing beyond the window: poisoned future sessions cut back off change nothing', async () => {
    const model = await fitted;
    const clean = head(heldOut, 80);
    const cut = head(poisoned(clean, 15), 80);
    for (const horizon of [1, 5]) expect(model.forecast(cut, horizon)).toEqual(model.forecast(clean, horizon));
    expect(model.forecast(poisoned(clean, 1), 1)).not.toEqual(model.forecast(clean, 1));
  });

  it('is deterministic with a seed and round-trips through save and JSON load', async () => {
    const model = await fitted;
    const again = await new RandomForestForecaster({ trees: 20 }, { training: 'inline' }).fit(training, [1, 5]);
    const restored = inline.load(JSON.parse(JSON.stringify(model.save())));
    for (const t of [40, 70, 119]) {
      const window = head(heldOut, t + 1);
      expect(again.forecast(window, 5)).toEqual(model.forecast(window, 5));
      expect(restored.forecast(window, 1)).toEqual(model.forecast(window, 1));
      expect(restored.forecast(window, 5)).toEqual(model.forecast(window, 5));
    }
  });

  it('trains the same in a worker thread as inline', async () => {
    const viaWorker = await new RandomForestForecaster({ trees: 20 }, { training: pool }).fit(training, [1, 5]);
    expect(pool.workers).toBe(1);
    expect(viaWorker.forecast(heldOut, 5)).toEqual((await fitted).forecast(heldOut, 5));
  });

  it('trains in the shared worker pool by default when fit is called on the main thread', async () => {
    const model = await new RandomForestForecaster({ trees: 20 }).fit(training, [1, 5]);
    expect(sharedModelTraining().workers).toBe(1);
    expect(model.forecast(heldOut, 1)).toEqual((await fitted).forecast(heldOut, 1));
  });

  it('trains on a single short series with no engineered features (lagged returns only)', async () => {
    const closes = Array.from({ length: 200 }, (_, t) => 100 * Math.exp(0.001 * t + 0.05 * Math.sin(t / 3)));
    const series = { symbol: 'DEMO', dates: closes.map((_, t) => String(t)), closes, features: closes.map(() => []), featureNames: [] };
    const model = await new RandomForestForecaster({ trees: 20 }, { training: 'inline' }).fit([series], [5]);
    const forecast = model.forecast(series, 5);
    expect(forecast.targetPrice).toBeGreaterThan(0);
    expect(forecast.high).toBeGreaterThan(forecast.low);
  });

  it('refuses a horizon it was not trained for and a window too short for its inputs', async () => {
    const model = await fitted;
    expect(() => model.forecast(heldOut, 3)).toThrow(RangeError);
    expect(() => model.forecast(head(heldOut, 2), 1)).toThrow(RangeError);
    expect(() => inline.load({ model: 'LSTM' })).toThrow(TypeError);
  });
});
