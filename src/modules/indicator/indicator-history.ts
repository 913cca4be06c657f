// Keeps technical_indicator complete: one point per stored daily candle of
// every active stock. Symbols are taken a slice at a time (a few statements
// each, the event loop free in between); the arithmetic runs in the worker
// pool. A symbol whose saved IndicatorState still matches its candles folds in
// only the candles from the state's own on (O(1) each); any other (no state
// yet, or candles added or removed behind it, e.g. a backfill from another
// process) is recomputed from its first candle.
import type { SqlExecutor } from '../../db/sql-executor.js';
import type { Logger } from '../../log.js';
import type { IndicatorCompute } from '../../workers/indicator-pool.js';
import type { HistoryTask } from './engine/history.js';
import { INDICATOR_STATE_VERSION } from './engine/state.js';
import { pointFromValues } from './indicator.mapper.js';
import { candlesSince, dailyCandles, saveStates, stateSlice, upsertPoints, type StateRow } from './indicator-state.sql.js';
import { groupBySymbol, UPSERT_CHUNK_ROWS, type DailyCandleRow } from './indicator.sql.js';
import type { IndicatorPoint } from './indicator.type.js';

export interface RefreshReport {
  /** Active symbols looked at. */
  symbols: number;
  /** Recomputed from their first candle. */
  recomputed: number;
  /** Advanced from their saved state. */
  incremental: number;
  /** Points sent to technical_indicator (unchanged ones are not rewritten). */
  points: number;
  ms: number;
  /** The newest point of each symbol that has one. */
  latest: Map<string, IndicatorPoint>;
}

export interface RefreshOptions {
  /** Only these symbols (default: every active stock). */
  symbols?: readonly string[];
  /** Checked between slices: an aborted refresh stops after the slice in progress. */
  signal?: AbortSignal;
}

export interface IndicatorHistoryOptions {
  /** Symbols per slice (default 50; 10 on PGlite): their states are read and advanced together. */
  sliceSymbols?: number;
  /** Symbols recomputed from their first candle per round trip (default 3, ~1,500 candles of two years' history; 1 on PGlite). */
  fullSymbols?: number;
  logger?: Logger;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

interface SavedState {
  version: number;
  current: { count: number };
}

function usableState(row: StateRow): SavedState | null {
  if (row.state === null || row.as_of === null) return null;
  try {
    const state = JSON.parse(row.state) as SavedState;
    if (state.version !== INDICATOR_STATE_VERSION || state.current?.count !== Number(row.stored_before)) return null;
    return state;
  } catch {
    return null;
  }
}

function toTask(symbol: string, candles: readonly DailyCandleRow[], writeFrom: number, state?: unknown): HistoryTask {
  return {
    symbol,
    state: state as HistoryTask['state'],
    ts: candles.map((c) => new Date(c.ts).getTime()),
    high: candles.map((c) => Number(c.high)),
    low: candles.map((c) => Number(c.low)),
    close: candles.map((c) => Number(c.close)),
    volume: candles.map((c) => Number(c.volume)),
    writeFrom,
  };
}

export class IndicatorHistory {
  private readonly sliceSymbols: number;
  private readonly fullSymbols: number;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly compute: IndicatorCompute,
    private readonly options: IndicatorHistoryOptions = {},
  ) {
    this.sliceSymbols = options.sliceSymbols ?? (sql.kind === 'pglite' ? 10 : 50);
    // Embedded PGlite runs each statement on this thread: smaller statements there halve the longest stall.
    this.fullSymbols = options.fullSymbols ?? (sql.kind === 'pglite' ? 1 : 3);
  }

  /** Brings every active stock's indicator history up to date (what the job and start-up run). */
  refresh(options: RefreshOptions = {}): Promise<RefreshReport> {
    return this.run(options, null);
  }

  /**
   * After new daily candles (a backfill): recomputes each symbol from its
   * first candle and rewrites its points from `from` (its first new candle) on.
   */
  recomputeFrom(affected: readonly { symbol: string; from: Date }[], signal?: AbortSignal): Promise<RefreshReport> {
    const writeFrom = new Map(affected.map((a) => [a.symbol, a.from.getTime()]));
    return this.run({ symbols: [...writeFrom.keys()], signal }, writeFrom);
  }

  private async run(options: RefreshOptions, forced: Map<string, number> | null): Promise<RefreshReport> {
    const started = performance.now();
    const report: RefreshReport = { symbols: 0, recomputed: 0, incremental: 0, points: 0, ms: 0, latest: new Map() };
    if (options.symbols?.length === 0) return report;
    let after: string | null = null;
    while (!options.signal?.aborted) {
      const rows = await stateSlice(this.sql, { after, limit: this.sliceSymbols, symbols: options.symbols });
      if (rows.length === 0) break;
      after = rows.at(-1)!.symbol;
      await this.slice(rows, forced, report);
      await yieldToLoop();
    }
    report.ms = Math.round(performance.now() - started);
    return report;
  }

  private async slice(rows: StateRow[], forced: Map<string, number> | null, report: RefreshReport): Promise<void> {
    report.symbols += rows.length;
    const resumable: { row: StateRow; state: SavedState }[] = [];
    const fromStart: string[] = [];
    for (const row of rows) {
      const state = forced ? null : usableState(row);
      if (state) resumable.push({ row, state });
      else fromStart.push(row.symbol);
    }
    if (resumable.length > 0) {
      const since = groupBySymbol(await candlesSince(this.sql, resumable.map(({ row }) => ({ symbol: row.symbol, from: row.as_of! }))));
      // The state's own candle comes back too: it may have been revised since (today's candle changes all day).
      await this.apply(resumable.map(({ row, state }) => toTask(row.symbol, since.get(row.symbol) ?? [], new Date(row.as_of!).getTime(), state)), report);
    }
    // A whole history is ~500 candles a symbol: a few symbols per round trip keeps each turn of the loop short.
    for (let i = 0; i < fromStart.length; i += this.fullSymbols) {
      const symbols = fromStart.slice(i, i + this.fullSymbols);
      const history = groupBySymbol(await dailyCandles(this.sql, symbols));
      const tasks = symbols.flatMap((symbol) => {
        const candles = history.get(symbol);
        return candles ? [toTask(symbol, candles, forced?.get(symbol) ?? Number.NEGATIVE_INFINITY)] : [];
      });
      await this.apply(tasks, report);
      await yieldToLoop();
    }
  }

  /** Computes the tasks (in the pool), writes their points, then their states. */
  private async apply(tasks: HistoryTask[], report: RefreshReport): Promise<void> {
    if (tasks.length === 0) return;
    const results = await this.compute.run(tasks);
    const pending: { symbol: string; values: (typeof results)[number]['points'][number] }[] = [];
    const states: { symbol: string; state: unknown; asOf: Date }[] = [];
    for (const result of results) {
      if (result.asOf === null) continue;
      for (const values of result.points) pending.push({ symbol: result.symbol, values });
      states.push({ symbol: result.symbol, state: result.state, asOf: new Date(result.asOf) });
      report.latest.set(result.symbol, pointFromValues(result.latest!));
    }
    report.points += pending.length;
    for (let i = 0; i < pending.length; i += UPSERT_CHUNK_ROWS) await upsertPoints(this.sql, pending.slice(i, i + UPSERT_CHUNK_ROWS));
    // Saved after the points: a crash in between leaves the old state, and the next run redoes the same points.
    await saveStates(this.sql, states);
    report.incremental += tasks.filter((task) => task.state).length;
    report.recomputed += tasks.filter((task) => !task.state).length;
  }
}
