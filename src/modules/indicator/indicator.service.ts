import type { StockClient } from '../../db/database.js';
import { manyByKey } from '../../lib/batch.js';
import { computeHistory } from './engine/history.js';
import { computeSeries } from './engine/series.js';
import type { IndicatorValues } from './engine/types.js';
import type { Cache } from '../../cache/cache.js';
import { readThrough } from '../../cache/read-through.js';
import { indicatorsCacheKey } from '../../realtime/topics.js';
import { pointFromJSON, pointFromRow, pointFromValues, roundForStorage, type SerializedIndicatorPoint } from './indicator.mapper.js';
import { UPSERT_CHUNK_ROWS, dailyHistory, latestIndicatorRows, upsertIndicators, type DailyCandleRow } from './indicator.sql.js';
import type { IndicatorPoint } from './indicator.type.js';
import type { IndicatorSeriesArgs } from './indicator.validation.js';

export interface RecomputeOptions {
  /**
   * Write only the points at or after this time (values are still computed
   * over the whole history). A job that recomputes often can pass the start of
   * the last day or two instead of rewriting years of unchanged rows.
   */
  writeFrom?: Date;
}

/**
 * Technical indicators of daily candles: computed from stock_price, stored in
 * technical_indicator, read back for the API. Holds no per-request state.
 */
export class IndicatorService {
  constructor(
    private readonly prisma: StockClient,
    private readonly cache?: Cache,
  ) {}

  /**
   * The newest point of each symbol, in key order, null where none: from the
   * cache the indicator job fills, the database for the misses.
   */
  async latest(symbols: readonly string[]): Promise<(IndicatorPoint | null)[]> {
    if (!this.cache) return this.latestFromDb(symbols);
    return readThrough(this.cache, symbols, indicatorsCacheKey, (cached: SerializedIndicatorPoint) => pointFromJSON(cached), (missing) =>
      this.latestFromDb(missing),
    );
  }

  /**
   * One statement for any number of symbols, plus one more when some have no
   * stored point yet (the history is still being computed after a first start
   * or a backfill): those are computed on demand from their daily candles.
   */
  async latestFromDb(symbols: readonly string[]): Promise<(IndicatorPoint | null)[]> {
    const rows = await latestIndicatorRows(this.prisma, symbols, 1);
    const points = manyByKey(symbols, rows, (row) => row.symbol).map(([row]) => (row ? pointFromRow(row) : null));
    const missing = symbols.filter((_, i) => points[i] === null);
    if (missing.length === 0) return points;
    const computed = new Map<string, IndicatorPoint>();
    for (const [symbol, history] of bySymbol(await dailyHistory(this.prisma, missing))) {
      const result = computeHistory({
        symbol,
        ts: history.map((c) => new Date(c.ts).getTime()),
        high: history.map((c) => Number(c.high)),
        low: history.map((c) => Number(c.low)),
        close: history.map((c) => Number(c.close)),
        volume: history.map((c) => Number(c.volume)),
        writeFrom: Number.POSITIVE_INFINITY,
      });
      if (result.latest) computed.set(symbol, pointFromValues(result.latest));
    }
    return points.map((point, i) => point ?? computed.get(symbols[i]!) ?? null);
  }

  /** The latest `last` stored points within [from, to] of each symbol, oldest first; one statement. */
  async series(symbols: readonly string[], args: IndicatorSeriesArgs): Promise<IndicatorPoint[][]> {
    const rows = await latestIndicatorRows(this.prisma, symbols, args.last, args);
    return manyByKey(symbols, rows, (row) => row.symbol).map((newestFirst) => newestFirst.reverse().map(pointFromRow));
  }

  /**
   * Recomputes every indicator of the given symbols (default: every active
   * stock) from their whole stored daily history, and upserts the points. One
   * statement reads the candles; one writes each chunk of 5,000 points. The
   * whole history, not a recent window, because EMA, RSI, ATR and OBV depend
   * on where the series starts: a sliding window would rewrite old points daily.
   */
  async recompute(symbols?: readonly string[], options: RecomputeOptions = {}): Promise<Map<string, IndicatorPoint>> {
    const latest = new Map<string, IndicatorPoint>();
    if (symbols && symbols.length === 0) return latest;
    const candles = await dailyHistory(this.prisma, symbols);
    const writeFrom = options.writeFrom?.getTime() ?? Number.NEGATIVE_INFINITY;
    const pending: { symbol: string; values: IndicatorValues }[] = [];
    for (const [symbol, history] of bySymbol(candles)) {
      const series = computeSeries(history.map((row) => ({ ...row, timestamp: row.ts })));
      for (const values of series) {
        if (values.timestamp >= writeFrom) pending.push({ symbol, values: roundForStorage(values) });
      }
      latest.set(symbol, pointFromValues(series.at(-1)!));
      while (pending.length >= UPSERT_CHUNK_ROWS) await upsertIndicators(this.prisma, pending.splice(0, UPSERT_CHUNK_ROWS));
    }
    if (pending.length > 0) await upsertIndicators(this.prisma, pending);
    return latest;
  }
}

/** Consecutive runs of one symbol in rows ordered by symbol. */
function* bySymbol(rows: readonly DailyCandleRow[]): Generator<[string, DailyCandleRow[]]> {
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i === rows.length || rows[i]!.symbol !== rows[start]!.symbol) {
      yield [rows[start]!.symbol, rows.slice(start, i)];
      start = i;
    }
  }
}
