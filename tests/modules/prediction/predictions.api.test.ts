import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStockDb } from '../../../src/db/seed/seed-stock-db.js';
import { ModelRegistry, type ModelRow } from '../../../src/modules/prediction/model-registry.js';
import { largestSymbols, loadWindows } from '../../../src/modules/prediction/prediction-history.js';
import { StoredPredictionSignals } from '../../../src/modules/prediction/prediction-signals.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'XOM', 'JPM', 'KO'];
const END = new Date('2026-11-27T00:00:00Z');
const PREDICTION = `prediction { symbol basePrice bullishScore
  shortTerm { horizon targetPrice change changePercent trend low high confidence } mediumTerm { horizon targetPrice } longTerm { horizon targetPrice }
  model { id name type status beatsNaive metrics } }`;

let t: TestApp;
let dataDir: string;
const job = (name: string) => t.app.jobs.find((j) => j.name === name)!;
const models = async (): Promise<any[]> => (await t.data(`{ models { id name version type status metrics parameters trainedAt beatsNaive } }`)).models;
const setMetrics = (id: string, metrics: object) =>
  t.stock.sql.query(`UPDATE model SET metrics = $2::jsonb WHERE id = $1`, [Number(id), JSON.stringify(metrics)]);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mg-predictions-'));
  t = await startTestApp({
    prepareStock: async (db) => void (await seedStockDb(db.sql, { symbols: SYMBOLS, endDate: END, years: 2 })),
    env: {
      DATA_DIR: dataDir,
      PREDICTION_SYMBOLS: '5',
      PREDICTION_FOLDS: '2',
      PREDICTION_TREES: '4',
      PREDICTION_LSTM_EPOCHS: '1',
      PREDICTION_HISTORY_SESSIONS: '400',
      PREDICTION_WORKERS: '1',
      PREDICTION_MAX_SAMPLES: '100',
    },
  });
  expect(await t.app.scheduler.tick(job('model-training'))).toBe('ran');
}, 240_000);
afterAll(async () => {
  await t?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the model registry', () => {
  it('holds one ACTIVE version per forecaster with per-horizon metrics against naive, naive marked as the baseline', async () => {
    const rows = await models();
    expect(rows.map((m) => m.type).sort()).toEqual(['EXPONENTIAL_SMOOTHING', 'LSTM', 'NAIVE', 'RANDOM_FOREST']);
    for (const model of rows) {
      expect(model.status).toBe('ACTIVE');
      for (const horizon of ['7', '30', '90']) {
        const h = model.metrics.horizons[horizon];
        expect(h.n, `${model.name} ${horizon}`).toBeGreaterThan(0);
        expect(h.maeNaive).toBeGreaterThan(0);
        expect(h.skill).toBeCloseTo(1 - h.mae / h.maeNaive, 9);
        expect(h.beatsNaive).toBe(h.skill > 0);
      }
      expect(model.metrics.folds).toBe(2);
    }
    const naive = rows.find((m) => m.type === 'NAIVE');
    expect(naive).toMatchObject({ beatsNaive: false, metrics: { baseline: true, beatsNaive: false, skill: 0 } });
    expect(rows.find((m) => m.type === 'RANDOM_FOREST').parameters).toMatchObject({ trees: 4 });
    expect(rows.find((m) => m.type === 'LSTM').parameters).toMatchObject({ epochs: 1 });
  });

  it('writes each artifact under DATA_DIR/models, and the reloaded model gives the stored forecast', async () => {
    const registry = new ModelRegistry(t.app.stockDb.prisma, dataDir);
    const active = await registry.active();
    const windows = await loadWindows(t.app.stockDb.sql, await largestSymbols(t.app.stockDb.sql, 5), { sessions: 400 });
    for (const row of active) {
      expect(row.artifactPath.startsWith(join(dataDir, 'models'))).toBe(true);
      expect(existsSync(row.artifactPath)).toBe(true);
      const fitted = await registry.load(row);
      const again = (await import('../../../src/modules/prediction/models/index.js')).forecasterNamed(row.name)!.load(JSON.parse(await readFile(row.artifactPath, 'utf8')));
      for (const window of windows) {
        const [stored] = await t.stock.sql.query<{ target: string }>(
          `SELECT target_price::text AS target FROM prediction WHERE model_id = $1 AND symbol = $2 AND horizon = 30 ORDER BY created_at DESC LIMIT 1`,
          [row.id, window.symbol],
        );
        expect(fitted!.forecast(window, 30).targetPrice.toFixed(6), `${row.name} ${window.symbol}`).toBe(Number(stored!.target).toFixed(6));
        expect(again.forecast(window, 30).targetPrice).toBe(fitted!.forecast(window, 30).targetPrice);
      }
    }
  });

  it('predicts the five largest stocks only, every ACTIVE model for 7, 30 and 90 sessions', async () => {
    const rows = await t.stock.sql.query<{ symbol: string; n: number }>(`SELECT symbol, count(*)::int AS n FROM prediction GROUP BY symbol ORDER BY symbol`);
    const largest = await largestSymbols(t.app.stockDb.sql, 5);
    expect(rows.map((r) => r.symbol)).toEqual([...largest].sort());
    for (const row of rows) expect(row.n).toBe(4 * 3);
  });
});

describe('Stock.prediction', () => {
  it('shows the model with the best skill among those that beat naive, and naive when none does', async () => {
    const rows = await models();
    const byType = (type: string) => rows.find((m) => m.type === type);
    const saved = new Map(rows.map((m) => [m.id, m.metrics]));
    try {
      // The LSTM claims the higher skill but not beating naive: it must not be shown.
      await setMetrics(byType('LSTM').id, { skill: 0.5, beatsNaive: false });
      await setMetrics(byType('RANDOM_FOREST').id, { skill: 0.2, beatsNaive: true });
      await setMetrics(byType('EXPONENTIAL_SMOOTHING').id, { skill: 0.1, beatsNaive: true });
      const best = (await t.data(`{ stock(symbol: "AAPL") { ${PREDICTION} } }`)).stock.prediction;
      expect(best.model.type).toBe('RANDOM_FOREST');
      expect(best.shortTerm.horizon).toBe(7);
      expect(best.mediumTerm.horizon).toBe(30);
      expect(best.longTerm.horizon).toBe(90);
      expect(best.shortTerm.change).toBeCloseTo(best.shortTerm.targetPrice - best.basePrice, 5);
      expect(best.shortTerm.low).toBeLessThanOrEqual(best.shortTerm.targetPrice);
      expect(best.shortTerm.high).toBeGreaterThanOrEqual(best.shortTerm.targetPrice);
      expect(best.bullishScore).toBeGreaterThanOrEqual(0);
      expect(best.bullishScore).toBeLessThanOrEqual(100);

      await setMetrics(byType('RANDOM_FOREST').id, { skill: -0.2, beatsNaive: false });
      await setMetrics(byType('EXPONENTIAL_SMOOTHING').id, { skill: -0.1, beatsNaive: false });
      const fallback = (await t.data(`{ stock(symbol: "AAPL") { ${PREDICTION} } }`)).stock.prediction;
      expect(fallback.model).toMatchObject({ type: 'NAIVE', beatsNaive: false, metrics: { baseline: true } });
      // The random walk forecasts the last close: no view on direction.
      expect(fallback.shortTerm).toMatchObject({ trend: 'FLAT', change: 0 });
      expect(fallback.shortTerm.targetPrice).toBe(fallback.basePrice);
      expect(fallback.bullishScore).toBe(50);
    } finally {
      for (const [id, metrics] of saved) await setMetrics(id, metrics);
    }
  });

  it('costs the same statements for two stocks as for six (batched by a loader)', async () => {
    const page = (n: number) => `{ stocks(first: ${n}) { edges { node { symbol ${PREDICTION} } } } }`;
    const two = await t.coldStatements(page(2));
    const six = await t.coldStatements(page(6));
    expect(six.data.stocks.edges.filter((e: any) => e.node.prediction !== null)).toHaveLength(5);
    expect(six.stock).toBe(two.stock);
  });

  it('is null for a stock outside the largest the job predicts', async () => {
    const largest = await largestSymbols(t.app.stockDb.sql, 5);
    const left = SYMBOLS.find((s) => !largest.includes(s))!;
    expect((await t.data(`{ stock(symbol: "${left}") { prediction { symbol } } }`)).stock.prediction).toBeNull();
  });
});

describe('FOLLOW_MODEL signals', () => {
  it("read a model's latest 7-session prediction, by id or by name", async () => {
    const signals = new StoredPredictionSignals(t.app.stockDb.sql);
    const holt = (await models()).find((m) => m.type === 'EXPONENTIAL_SMOOTHING');
    const [row] = await t.stock.sql.query<{ direction: string; confidence: string }>(
      `SELECT direction, confidence::text AS confidence FROM prediction WHERE model_id = $1 AND symbol = 'MSFT' AND horizon = 7 ORDER BY created_at DESC LIMIT 1`,
      [Number(holt.id)],
    );
    const byId = await signals.latest(holt.id, 'MSFT');
    expect(byId).toMatchObject({ direction: row!.direction, confidence: Number(row!.confidence) });
    expect(await signals.latest(holt.name, 'MSFT')).toEqual(byId);
    expect(await signals.latest('no such model', 'MSFT')).toBeNull();
  });
});

describe('predictionUpdated', () => {
  it('delivers the new prediction over graphql-ws when a new daily close changes the best forecast', async () => {
    const { createClient } = await import('graphql-ws');
    const { WebSocket } = await import('ws');
    const client = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const got: any[] = [];
    const errors: unknown[] = [];
    client.subscribe(
      { query: `subscription { predictionUpdated(symbol: "MSFT") { symbol basePrice shortTerm { targetPrice } model { type } } }` },
      { next: (v) => void got.push(v.errors ?? v.data), error: (e) => void errors.push(e), complete: () => undefined },
    );
    await new Promise((r) => setTimeout(r, 300));
    // Unchanged history: the same forecasts, nothing published.
    expect(await t.app.scheduler.tick(job('predictions'))).toBe('ran');
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toEqual([]);
    await t.stock.sql.query(
      `INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, adj_close, volume, source)
       SELECT symbol, 'DAY', ts + interval '3 days', close, close * 1.2, close, close * 1.15, close * 1.15, volume, 'test'
       FROM stock_price WHERE symbol = 'MSFT' AND interval = 'DAY' ORDER BY ts DESC LIMIT 1`,
    );
    expect(await t.app.scheduler.tick(job('predictions'))).toBe('ran');
    await expect.poll(() => got.length, { timeout: 5000 }).toBe(1);
    const [last] = await t.stock.sql.query<{ close: string }>(`SELECT close::text AS close FROM stock_price WHERE symbol = 'MSFT' AND interval = 'DAY' ORDER BY ts DESC LIMIT 1`);
    expect(got[0].predictionUpdated).toMatchObject({ symbol: 'MSFT', basePrice: Number(last!.close) });
    expect(errors).toEqual([]);
    await client.dispose();
  });

  it('answers BAD_USER_INPUT for an unknown symbol', async () => {
    const { createClient } = await import('graphql-ws');
    const { WebSocket } = await import('ws');
    const client = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const outcome = await new Promise<any>((resolve) =>
      client.subscribe({ query: `subscription { predictionUpdated(symbol: "NOPE") { symbol } }` }, { next: resolve, error: resolve, complete: () => undefined }),
    );
    expect(outcome.errors?.[0]?.extensions?.code ?? outcome[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await client.dispose();
  });
});
