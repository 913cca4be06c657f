import { afterAll, describe, expect, it } from 'vitest';
import { LstmForecaster } from '../../../src/modules/prediction/models/lstm.forecaster.js';
import { createModelTraining } from '../../../src/workers/model-training-pool.js';
import { heldOutErrors } from './fixtures/scoring.js';
import { head, poisoned, sineSeries } from './fixtures/synthetic.js';

const training = [0, 1, 2, 3].map((i) => sineSeries(`S${i}`, 160, 11 + i, i * 0.9));
const heldOut = sineSeries('HELD', 120, 99, 2.2);
const settings = { epochs: 12, units: 16 };
const inline = new LstmForecaster(settings, { training: 'inline' });
const fitted = inline.fit(training, [1, 5]);
const pool = createModelTraining(1);

afterAll(() => pool.close());

describe('LstmForecaster', () => {
  it('records its parameters, seed included', () => {
    expect(inline.type).toBe('LSTM');
    expect(inline.parameters).toMatchObject({ lookback: 20, units: 16, epochs: 12, seed: 7 });
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

  it('round-trips through save and JSON load with identical forecasts', async () => {
    const model = await fitted;
    const restored = inline.load(JSON.parse(JSON.stringify(model.save())));
    for (const t of [40, 70, 119]) {
      const window = head(heldOut, t + 1);
      expect(restored.forecast(window, 1)).toEqual(model.forecast(window, 1));
      expect(restored.forecast(window, 5)).toEqual(model.forecast(window, 5));
    }
  });

  it('trains in a worker thread to the same weights as inline (seeded initialisers, unshuffled batches)', async () => {
    const viaWorker = await new LstmForecaster(settings, { training: pool }).fit(training, [1, 5]);
    const a = viaWorker.forecast(heldOut, 5);
    const b = (await fitted).forecast(heldOut, 5);
    expect(a.targetPrice).toBeCloseTo(b.targetPrice, 6);
    expect(a.low).toBeCloseTo(b.low, 6);
    expect(a.confidence).toBeCloseTo(b.confidence, 6);
  });

  it('refuses a horizon it was not trained for and a window shorter than its lookback', async () => {
    const model = await fitted;
    expect(() => model.forecast(heldOut, 3)).toThrow(RangeError);
    expect(() => model.forecast(head(heldOut, 20), 1)).toThrow(RangeError);
    expect(() => inline.load({ model: 'RANDOM_FOREST' })).toThrow(TypeError);
  });
});
