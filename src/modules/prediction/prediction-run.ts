// The prediction job: every ACTIVE model forecasts each of the largest stocks for 7/30/90 sessions; the rows are
// stored, and predictionTopic(symbol) is published where the best model's forecast changed (a new best model, or a
// new target). Forecasting is light (a forest walk, one small LSTM step) and yields between symbols.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PredictionConfig } from '../../config.js';
import type { StockClient } from '../../db/database.js';
import type { SqlExecutor } from '../../db/sql-executor.js';
import type { Logger } from '../../log.js';
import type { EventBus } from '../../realtime/event-bus.js';
import { predictionTopic } from '../../realtime/topics.js';
import { HORIZONS } from './backtest.js';
import { bestModel } from './best-model.js';
import { directionOf, type FittedModel } from './forecaster.js';
import type { ModelRegistry, ModelRow } from './model-registry.js';
import { largestSymbols, loadWindows, type HistoryWindow } from './prediction-history.js';

/** Prediction rows per INSERT (each statement runs on the API's thread on the embedded default). */
const ROWS_PER_INSERT = 120;

/** Stored predictions older than this are deleted by the job. */
export const PREDICTION_RETENTION_DAYS = 30;

/** predictionTopic's payload. */
export interface PredictionUpdatedEvent {
  symbol: string;
  modelId: string;
}

/** The latest stored target price per (symbol, horizon) of one model. */
async function latestTargets(sql: SqlExecutor, modelId: number, symbols: readonly string[]): Promise<Map<string, string>> {
  const rows = await sql.query<{ symbol: string; horizon: number; target: string }>(
    `SELECT DISTINCT ON (symbol, horizon) symbol, horizon, target_price::text AS target FROM prediction
     WHERE model_id = $1 AND symbol = ANY($2::varchar[]) ORDER BY symbol, horizon, created_at DESC, id DESC`,
    [modelId, [...symbols]],
  );
  return new Map(rows.map((row) => [`${row.symbol}:${row.horizon}`, Number(row.target).toFixed(6)]));
}

/** What a fitted model reads besides the closes (its saved feature names), for the features_used column. */
function featuresUsed(fitted: FittedModel): string[] {
  const names = (fitted.save() as { featureNames?: unknown })?.featureNames;
  return ['close', ...(Array.isArray(names) ? names.map(String) : [])];
}

interface PredictionData {
  modelId: number;
  symbol: string;
  horizon: number;
  asOf: Date;
  basePrice: string;
  targetPrice: string;
  low: string;
  high: string;
  direction: string;
  confidence: string;
  featuresUsed: string[];
}

function forecastRows(model: ModelRow, fitted: FittedModel, window: HistoryWindow, features: string[]): PredictionData[] {
  const last = window.closes.at(-1)!;
  const rows: PredictionData[] = [];
  for (const horizon of HORIZONS) {
    const f = fitted.forecast(window, horizon);
    if (![f.targetPrice, f.low, f.high, f.confidence].every(Number.isFinite) || !(f.targetPrice > 0)) continue;
    rows.push({
      modelId: model.id,
      symbol: window.symbol,
      horizon,
      asOf: new Date(window.lastTs),
      basePrice: last.toFixed(6),
      targetPrice: f.targetPrice.toFixed(6),
      low: Math.min(f.low, f.targetPrice).toFixed(6),
      high: Math.max(f.high, f.targetPrice).toFixed(6),
      direction: directionOf(last, f.targetPrice),
      confidence: Math.min(1, Math.max(0, f.confidence)).toFixed(5),
      featuresUsed: features,
    });
  }
  return rows;
}

export class PredictionRunner {
  constructor(
    private readonly deps: { db: StockClient; sql: SqlExecutor; registry: ModelRegistry; bus: EventBus; config: PredictionConfig; logger: Logger },
  ) {}

  async run(now: Date = new Date()): Promise<{ stored: number; published: string[] }> {
    const { db, sql, registry, bus, config, logger } = this.deps;
    const loaded: { model: ModelRow; fitted: FittedModel; features: string[] }[] = [];
    for (const model of await registry.active()) {
      const fitted = await registry.load(model);
      if (fitted) loaded.push({ model, fitted, features: featuresUsed(fitted) });
      else logger.warn({ model: model.name, artifact: model.artifactPath }, 'model artifact not readable here; its predictions are skipped');
    }
    const best = bestModel(loaded.map((l) => l.model));
    if (!best) return { stored: 0, published: [] };
    const symbols = await largestSymbols(sql, config.symbols);
    const windows = await loadWindows(sql, symbols, { sessions: config.historySessions });
    const previous = await latestTargets(sql, best.id, symbols);
    const rows: PredictionData[] = [];
    const changed: string[] = [];
    for (const window of windows) {
      let bestChanged = false;
      for (const { model, fitted, features } of loaded) {
        let produced: PredictionData[];
        try {
          produced = forecastRows(model, fitted, window, features);
        } catch (err) {
          logger.warn({ err, model: model.name, symbol: window.symbol }, 'model could not forecast this symbol');
          continue;
        }
        rows.push(...produced);
        if (model.id === best.id) bestChanged = produced.length > 0 && produced.some((row) => previous.get(`${row.symbol}:${row.horizon}`) !== row.targetPrice);
      }
      if (bestChanged) changed.push(window.symbol);
      await nextTurn();
    }
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      await db.prediction.createMany({ data: rows.slice(i, i + ROWS_PER_INSERT).map((row) => ({ ...row, createdAt: now })) });
      await nextTurn();
    }
    await db.prediction.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - PREDICTION_RETENTION_DAYS * 86_400_000) } } });
    for (const symbol of changed) await bus.publish(predictionTopic(symbol), { symbol, modelId: String(best.id) } satisfies PredictionUpdatedEvent);
    return { stored: rows.length, published: changed };
  }
}
