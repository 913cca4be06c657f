import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictionConfig } from '../../../src/config.js';
import { seedStockDb } from '../../../src/db/seed/seed-stock-db.js';
import { ModelRegistry } from '../../../src/modules/prediction/model-registry.js';
import { ModelTrainingService } from '../../../src/modules/prediction/model-training.service.js';
import { loadWindows } from '../../../src/modules/prediction/prediction-history.js';
import { createModelEvaluation, type ModelEvaluation } from '../../../src/workers/model-evaluation-pool.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const SYMBOLS = ['AAPL', 'MSFT', 'XOM'];
const END = new Date('2026-11-27T00:00:00Z');
const AS_OF = new Date('2026-07-31T23:59:59Z');
const CONFIG: PredictionConfig = { symbols: 3, historySessions: 600, folds: 2, workers: 1, trees: 3, lstmEpochs: 1, maxSamples: 100 };

let t: TestApp;
let dataDir: string;
let evaluation: ModelEvaluation;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mg-look-ahead-'));
  t = await startTestApp({ prepareStock: async (db) => void (await seedStockDb(db.sql, { symbols: SYMBOLS, endDate: END, years: 2 })), env: { DATA_DIR: dataDir } });
  evaluation = createModelEvaluation(1);
});
afterAll(async () => {
  await evaluation?.close();
  await t?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const train = (directory: string, trainedAt: Date) =>
  new ModelTrainingService({
    sql: t.app.stockDb.sql,
    registry: new ModelRegistry(t.app.stockDb.prisma, join(dataDir, directory)),
    evaluation,
    config: CONFIG,
    logger: t.app.logger,
  }).train({ asOf: AS_OF, trainedAt });

describe('training as of a day', () => {
  it('never reads a later candle: poisoning every close after it changes no metric, no saved state and no forecast', async () => {
    const clean = await train('clean', new Date('2026-08-01T00:00:00Z'));
    expect(clean.map((m) => m.type).sort()).toEqual(['EXPONENTIAL_SMOOTHING', 'LSTM', 'NAIVE', 'RANDOM_FOREST']);
    // Later closes become absurd (x1000) or not a number at all; a model that read one would train differently.
    await t.stock.sql.query(
      `UPDATE stock_price SET close = CASE WHEN extract(dow FROM ts) IN (1, 3, 5) THEN close * 1000 ELSE 'NaN'::numeric END, high = high * 1000
       WHERE ts > $1::timestamptz`,
      [AS_OF.toISOString()],
    );
    const poisoned = await train('poisoned', new Date('2026-08-02T00:00:00Z'));
    const windows = await loadWindows(t.app.stockDb.sql, SYMBOLS, { sessions: 600, asOf: AS_OF });
    expect(windows.every((w) => w.dates.at(-1)! <= '2026-07-31')).toBe(true);
    const registry = new ModelRegistry(t.app.stockDb.prisma, dataDir);
    // The second run is a new version of each model: it is the ACTIVE one, the first run's are DEPRECATED.
    expect((await registry.active()).map((m) => m.id).sort()).toEqual(poisoned.map((m) => m.id).sort());
    expect(new Set((await registry.all()).filter((m) => clean.some((c) => c.id === m.id)).map((m) => m.status))).toEqual(new Set(['DEPRECATED']));
    for (const before of clean) {
      const after = poisoned.find((m) => m.name === before.name)!;
      expect(after.metrics, before.name).toEqual(before.metrics);
      expect(await readFile(after.artifactPath, 'utf8'), before.name).toBe(await readFile(before.artifactPath, 'utf8'));
      const [a, b] = [await registry.load(before), await registry.load(after)];
      for (const window of windows) for (const h of [7, 30, 90]) expect(b!.forecast(window, h)).toEqual(a!.forecast(window, h));
    }
  }, 180_000);
});
