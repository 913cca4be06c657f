// Keeps feature_engineered_data complete for the current FEATURE_VERSION: one row per stored daily candle of every
// active stock. A symbol whose stored rows still line up with its candles is resumed from its newest row (recomputed,
// since today's candle is revised all day) with FEATURE_LOOKBACK candles of history before it; any other (no row of
// this version yet, or candles added behind it, e.g. a backfill) is computed from its first candle. The arithmetic
// runs in the worker pool; each batch is one upsert, safe for two processes at once.
import type { SqlExecutor } from '../../../db/sql-executor.js';
import type { Logger } from '../../../log.js';
import { groupBySymbol, type DailyCandleRow } from '../../indicator/indicator.sql.js';
import type { FeatureCompute } from '../../../workers/feature-pool.js';
import { FEATURE_LOOKBACK, FEATURE_VERSION, type FeatureResult, type FeatureRow, type FeatureTask } from './feature-engine.js';
import { candlesWithLookback, featureProgress, upsertFeatureRows, type FeatureProgressRow } from './feature-store.sql.js';

export interface FeatureRefreshReport {
  version: number;
  /** Active symbols looked at. */
  symbols: number;
  /** Computed from their first candle. */
  recomputed: number;
  /** Resumed from their newest stored row. */
  incremental: number;
  /** Rows computed and sent to the table (a resumed symbol's newest stored row is among them). */
  computed: number;
  inserted: number;
  /** Stored rows whose values changed (a revised candle). */
  updated: number;
  ms: number;
}

export interface FeatureStoreOptions {
  /** @default FEATURE_VERSION */
  version?: number;
  /** Symbols per slice (default 50; 4 on PGlite). */
  sliceSymbols?: number;
  /** Symbols computed from their first candle per round trip (default 5; 1 on PGlite). */
  fullSymbols?: number;
  /** Rows per upsert statement (default 5000; 500 on PGlite). */
  batchRows?: number;
  /** Awaited after a slice is computed and before it is written (race tests hold two stores there). */
  beforeWrite?: () => Promise<void>;
  logger?: Logger;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function toTask(symbol: string, candles: readonly DailyCandleRow[], writeAfter: number): FeatureTask {
  return {
    symbol,
    writeAfter,
    ts: candles.map((c) => new Date(c.ts).getTime()),
    high: candles.map((c) => Number(c.high)),
    low: candles.map((c) => Number(c.low)),
    close: candles.map((c) => Number(c.close)),
    volume: candles.map((c) => Number(c.volume)),
  };
}

const resumable = (row: FeatureProgressRow) => row.latest_ts !== null && Number(row.candles_before) === Number(row.stored);

export class FeatureStore {
  readonly version: number;
  private readonly sliceSymbols: number;
  private readonly fullSymbols: number;
  private readonly batchRows: number;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly compute: FeatureCompute,
    private readonly options: FeatureStoreOptions = {},
  ) {
    this.version = options.version ?? FEATURE_VERSION;
    // Embedded PGlite runs each statement on this thread: smaller statements there keep each stall short
    // (bench/feature-lag.ts: a 5,000-row upsert held it 1.7 s, 10 symbols' look-back candles 0.5 s).
    const embedded = sql.kind === 'pglite';
    this.sliceSymbols = options.sliceSymbols ?? (embedded ? 4 : 50);
    this.fullSymbols = options.fullSymbols ?? (embedded ? 1 : 5);
    this.batchRows = options.batchRows ?? (embedded ? 500 : 5000);
  }

  /** Brings every active stock's (or the given ones') rows of this version up to date. */
  async refresh(options: { symbols?: readonly string[]; signal?: AbortSignal } = {}): Promise<FeatureRefreshReport> {
    const started = performance.now();
    const report: FeatureRefreshReport = { version: this.version, symbols: 0, recomputed: 0, incremental: 0, computed: 0, inserted: 0, updated: 0, ms: 0 };
    if (options.symbols?.length === 0) return report;
    let after: string | null = null;
    while (!options.signal?.aborted) {
      const rows = await featureProgress(this.sql, { version: this.version, after, limit: this.sliceSymbols, symbols: options.symbols });
      if (rows.length === 0) break;
      after = rows.at(-1)!.symbol;
      await this.slice(rows, report);
      await yieldToLoop();
    }
    report.ms = Math.round(performance.now() - started);
    this.options.logger?.debug({ report }, 'engineered features refreshed');
    return report;
  }

  private async slice(rows: FeatureProgressRow[], report: FeatureRefreshReport): Promise<void> {
    report.symbols += rows.length;
    const resumed = rows.filter(resumable);
    const fromStart = rows.filter((row) => !resumable(row)).map((row) => row.symbol);
    const results: FeatureResult[] = [];
    if (resumed.length > 0) {
      report.incremental += resumed.length;
      const since = groupBySymbol(await candlesWithLookback(this.sql, resumed.map((r) => ({ symbol: r.symbol, since: r.latest_ts! })), FEATURE_LOOKBACK));
      const tasks = resumed.map((r) => toTask(r.symbol, since.get(r.symbol) ?? [], new Date(r.latest_ts!).getTime() - 1));
      results.push(...(await this.compute.run(tasks)));
    }
    for (let i = 0; i < fromStart.length; i += this.fullSymbols) {
      const symbols = fromStart.slice(i, i + this.fullSymbols);
      report.recomputed += symbols.length;
      const history = groupBySymbol(await candlesWithLookback(this.sql, symbols.map((symbol) => ({ symbol, since: null })), FEATURE_LOOKBACK));
      results.push(...(await this.compute.run(symbols.map((symbol) => toTask(symbol, history.get(symbol) ?? [], -Infinity)))));
    }
    await this.options.beforeWrite?.();
    await this.write(results, report);
  }

  private async write(results: readonly FeatureResult[], report: FeatureRefreshReport): Promise<void> {
    let batch: { symbol: string; row: FeatureRow }[] = [];
    const flush = async () => {
      const { inserted, updated } = await upsertFeatureRows(this.sql, this.version, batch);
      report.computed += batch.length;
      report.inserted += inserted;
      report.updated += updated;
      batch = [];
      await yieldToLoop();
    };
    for (const { symbol, rows } of results) {
      for (const row of rows) {
        batch.push({ symbol, row });
        if (batch.length >= this.batchRows) await flush();
      }
    }
    if (batch.length > 0) await flush();
  }
}
