// FOLLOW_MODEL's view of the prediction table: what a model last said about a symbol over the shortest horizon.
import type { SqlExecutor } from '../../db/sql-executor.js';
import type { PredictionSignal, PredictionSignals } from '../strategy/strategy-signals.js';
import { HORIZONS } from './backtest.js';

/**
 * `modelId` is a registry id or a model name. Either way the latest prediction of any version of that model's name
 * counts, so a strategy keeps following its model across retraining (each training run is a new version and id).
 */
export class StoredPredictionSignals implements PredictionSignals {
  constructor(private readonly sql: SqlExecutor) {}

  async latest(modelId: string, symbol: string): Promise<PredictionSignal | null> {
    const [row] = await this.sql.query<{ direction: string; confidence: string; created_ms: number | string }>(
      `SELECT p.direction, p.confidence::text AS confidence, (extract(epoch FROM p.created_at) * 1000)::float8 AS created_ms
       FROM prediction p JOIN model m ON m.id = p.model_id
       WHERE p.symbol = $2 AND p.horizon = $3 AND m.name = COALESCE((SELECT name FROM model WHERE id::text = $1), $1)
       ORDER BY p.created_at DESC, p.id DESC LIMIT 1`,
      [modelId, symbol, Math.min(...HORIZONS)],
    );
    if (!row) return null;
    return { direction: row.direction as PredictionSignal['direction'], confidence: Number(row.confidence), asOf: new Date(Number(row.created_ms)) };
  }

  async history(modelId: string, symbols: readonly string[], range: { from: Date; to: Date }): Promise<Map<string, PredictionSignal[]>> {
    const rows = await this.sql.query<{ symbol: string; direction: string; confidence: string; as_of_ms: number | string }>(
      `SELECT p.symbol, p.direction, p.confidence::text AS confidence, (extract(epoch FROM p.as_of) * 1000)::float8 AS as_of_ms
       FROM prediction p JOIN model m ON m.id = p.model_id
       WHERE p.symbol = ANY($2::varchar[]) AND p.horizon = $3 AND p.as_of BETWEEN $4::timestamptz AND $5::timestamptz
         AND m.name = COALESCE((SELECT name FROM model WHERE id::text = $1), $1)
       ORDER BY p.symbol, p.as_of, p.created_at, p.id`,
      [modelId, [...symbols], Math.min(...HORIZONS), range.from.toISOString(), range.to.toISOString()],
    );
    const out = new Map<string, PredictionSignal[]>();
    for (const row of rows) {
      const list = out.get(row.symbol) ?? [];
      list.push({ direction: row.direction as PredictionSignal['direction'], confidence: Number(row.confidence), asOf: new Date(Number(row.as_of_ms)) });
      out.set(row.symbol, list);
    }
    return out;
  }
}
