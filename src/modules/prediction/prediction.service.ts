// The read side: the registry's models and, per stock, the best model's latest forecasts. A list of N stocks costs two
// statements (the ACTIVE models, then the best one's latest row per symbol and horizon), through predictionBySymbol.
import DataLoader from 'dataloader';
import type { StockClient } from '../../db/database.js';
import type { SqlExecutor } from '../../db/sql-executor.js';
import { NotFoundError } from '../../graphql/errors.js';
import type { EventBus } from '../../realtime/event-bus.js';
import { eventStream, type EventStreamOptions } from '../../realtime/event-stream.js';
import { predictionTopic } from '../../realtime/topics.js';
import type { StockService } from '../stock/stock.service.js';
import { bestModel } from './best-model.js';
import type { ModelRow } from './model-registry.js';
import type { PredictionUpdatedEvent } from './prediction-run.js';
import { Model, ModelStatusEnum, ModelTypeEnum, Prediction, PredictionHorizon, PredictionTrendEnum } from './prediction.type.js';

/** Versions `models` lists at most (a training run per weekday adds one per forecaster). */
export const MAX_MODELS = 200;

export const TERMS = { shortTerm: 7, mediumTerm: 30, longTerm: 90 } as const;

export function toModel(row: ModelRow): Model {
  const metrics = (row.metrics ?? {}) as Record<string, unknown>;
  return {
    id: String(row.id),
    name: row.name,
    version: row.version,
    type: row.type as ModelTypeEnum,
    status: row.status as ModelStatusEnum,
    metrics,
    parameters: (row.parameters ?? {}) as Record<string, unknown>,
    beatsNaive: row.type !== 'NAIVE' && metrics.beatsNaive === true,
    trainedAt: row.trainedAt,
  };
}

interface LatestRow {
  symbol: string;
  horizon: number;
  as_of_ms: number | string;
  base_price: string;
  target_price: string;
  low: string;
  high: string;
  direction: string;
  confidence: string;
}

function toHorizon(row: LatestRow): PredictionHorizon {
  const base = Number(row.base_price);
  const target = Number(row.target_price);
  return {
    horizon: row.horizon,
    targetPrice: target,
    change: Number((target - base).toFixed(6)),
    changePercent: base > 0 ? Number(((100 * (target - base)) / base).toFixed(4)) : 0,
    trend: row.direction as PredictionTrendEnum,
    low: Number(row.low),
    high: Number(row.high),
    confidence: Number(row.confidence),
  };
}

const SIGN: Record<string, number> = { UP: 1, DOWN: -1, FLAT: 0 };

/** 50 + 50 × mean(direction × confidence): 0 surely down, 100 surely up. */
export function bullishScore(horizons: readonly PredictionHorizon[]): number {
  if (horizons.length === 0) return 50;
  const lean = horizons.reduce((sum, h) => sum + (SIGN[h.trend] ?? 0) * h.confidence, 0) / horizons.length;
  return Number((50 + 50 * lean).toFixed(2));
}

export class PredictionService {
  constructor(
    private readonly db: StockClient,
    private readonly sql: SqlExecutor,
    private readonly stocks: StockService,
    private readonly bus: EventBus,
  ) {}

  /** Registry versions, newest first: the ACTIVE ones and the latest MAX_MODELS in all. */
  async models(): Promise<Model[]> {
    const rows = await this.db.model.findMany({ orderBy: [{ status: 'asc' }, { trainedAt: 'desc' }, { id: 'desc' }], take: MAX_MODELS });
    return (rows as unknown as ModelRow[]).map(toModel);
  }

  /** The best model's latest forecasts for each symbol (null where it has none): two statements for any number of symbols. */
  async forSymbols(symbols: readonly string[]): Promise<(Prediction | null)[]> {
    const active = (await this.db.model.findMany({ where: { status: 'ACTIVE' } })) as unknown as ModelRow[];
    const best = bestModel(active);
    if (!best) return symbols.map(() => null);
    const rows = await this.sql.query<LatestRow>(
      `SELECT DISTINCT ON (symbol, horizon) symbol, horizon, (extract(epoch FROM as_of) * 1000)::float8 AS as_of_ms,
              base_price::text AS base_price, target_price::text AS target_price, low::text AS low, high::text AS high, direction,
              confidence::text AS confidence
       FROM prediction WHERE model_id = $1 AND symbol = ANY($2::varchar[]) AND horizon = ANY($3::int[])
       ORDER BY symbol, horizon, created_at DESC, id DESC`,
      [best.id, [...symbols], Object.values(TERMS)],
    );
    const model = toModel(best);
    const bySymbol = new Map<string, LatestRow[]>();
    for (const row of rows) bySymbol.set(row.symbol, [...(bySymbol.get(row.symbol) ?? []), row]);
    return symbols.map((symbol) => {
      const latest = bySymbol.get(symbol);
      if (!latest) return null;
      const at = (horizon: number) => {
        const row = latest.find((r) => r.horizon === horizon);
        return row ? toHorizon(row) : null;
      };
      const terms = { shortTerm: at(TERMS.shortTerm), mediumTerm: at(TERMS.mediumTerm), longTerm: at(TERMS.longTerm) };
      const present = Object.values(terms).filter((h): h is PredictionHorizon => h !== null);
      return {
        symbol,
        asOf: new Date(Math.max(...latest.map((r) => Number(r.as_of_ms)))),
        basePrice: Number(latest[0]!.base_price),
        ...terms,
        bullishScore: bullishScore(present),
        model,
      };
    });
  }

  /** The current prediction, read fresh (a subscription's events must not hit a loader's cached answer). */
  async current(symbol: string): Promise<Prediction> {
    const [prediction] = await this.forSymbols([symbol]);
    if (!prediction) throw new NotFoundError(`no prediction for ${symbol} yet`);
    return prediction;
  }

  /** predictionUpdated: an event each time the job replaced the symbol's best prediction. */
  async stream(symbol: string, options?: EventStreamOptions): Promise<AsyncIterableIterator<PredictionUpdatedEvent>> {
    await this.stocks.assertKnown([symbol], () => 'symbol');
    return eventStream<PredictionUpdatedEvent>(this.bus, [predictionTopic(symbol)], async () => [], options);
  }
}

export interface PredictionLoaders {
  predictionBySymbol: DataLoader<string, Prediction | null>;
}

export function createPredictionLoaders(service: PredictionService): PredictionLoaders {
  return { predictionBySymbol: new DataLoader<string, Prediction | null>((symbols) => service.forSymbols(symbols)) };
}
