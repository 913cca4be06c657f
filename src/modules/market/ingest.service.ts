// Writes market data into stock_price: live ticks folded into the current
// MINUTE, HOUR and DAY candles (a constant number of statements per batch, whatever
// its size), and bulk backfills that insert only what is missing.

import { Decimal } from 'decimal.js';
import type { SqlExecutor } from '../../db/sql-executor.js';
import {
  isBulkHistorySource,
  type CandleIntervalName,
  type HistoryCandle,
  type HistoryRecord,
  type MarketDataProvider,
  type Tick,
} from '../../providers/market-data-provider.js';
import { copyCandlesIfAbsent, copyFreshCandles, insertCandlesIfAbsent, knownSymbols, previousDayCloses, upsertTickBuckets, type CandleInsertRow } from './candle-sql.js';
import { dateSpan, ensureMonths } from './partition-guard.js';
import { ReportBuilder, type BackfillResult } from './backfill-report.js';
import { backfillCopyChunks, isCopyChunkSource } from './copy-backfill.js';
import { dropStoredSymbols } from './stored-ranges.js';
import { aggregateTicks, dayStart, hourStart, minuteStart, tickProblem } from './tick-aggregation.js';
import type { TickStream } from './tick-stream.js';

/** One symbol's new quote after a batch of ticks (what subscribers receive: every Quote field). */
export interface PriceUpdate {
  symbol: string;
  price: number;
  /** the previous trading day's DAY close; null when there is none */
  previousClose: number | null;
  /** price - previousClose */
  change: number | null;
  changePercent: number | null;
  /** shares traded today so far (the DAY candle's volume) */
  volume: number;
  timestamp: Date;
}

export type { BackfillProblem, BackfillResult } from './backfill-report.js';

export interface IngestServiceOptions {
  /** stock_price.source of tick candles; the live job passes its provider's name. Default "live". */
  tickSource?: string;
  /** Rows per backfill INSERT from a per-symbol provider. Default 5000. */
  chunkSize?: number;
  /** Rows per COPY from a bulk source (a CSV file). Default 50000. */
  copyChunkSize?: number;
  /**
   * COPY chunks of a file loading at once on PostgreSQL, each on its own pooled connection (only
   * chunks that cannot share a row; see copy-backfill.ts). Always 1 on PGlite (one connection).
   * @default 2
   */
  copyParallelism?: number;
  /** Problems listed in a backfill report; more are summed up in one last entry. Default 1000. */
  maxErrors?: number;
  /** Batches the tick stream may fall behind before new ones are dropped (and counted). @default 100 */
  maxPendingAppends?: number;
  /** Told about ticks that cannot be stored (they are dropped). */
  onInvalidTick?: (reason: string) => void;
}

const MAX_PENDING_APPENDS = 100;

const DECIMAL = /^\d{1,12}(\.\d+)?$/;
const INTEGER = /^\d{1,18}$/;

/** Why a provider's candle cannot be stored, or null. */
export function candleProblem(c: HistoryCandle): string | null {
  if (!(c.ts instanceof Date) || Number.isNaN(c.ts.getTime())) return 'invalid timestamp';
  for (const [name, value] of [['open', c.open], ['high', c.high], ['low', c.low], ['close', c.close], ['adj_close', c.adjClose ?? '1']] as const) {
    if (!DECIMAL.test(value) || Number(value) === 0) return `invalid ${name} ${JSON.stringify(value)}`;
  }
  if (!INTEGER.test(c.volume)) return `invalid volume ${JSON.stringify(c.volume)}`;
  if (new Decimal(c.high).lessThan(c.low)) return `high ${c.high} is below low ${c.low}`;
  return null;
}

export class IngestService {
  /** Previous trading day's close per UTC day number, then symbol; only the days in use are kept. */
  private readonly previousCloses = new Map<number, Map<string, string | null>>();
  private readonly chunkSize: number;
  private readonly copyChunkSize: number;
  private readonly maxErrors: number;
  private tickStream: TickStream | null = null;
  private appending: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: SqlExecutor,
    private readonly options: IngestServiceOptions = {},
  ) {
    this.chunkSize = options.chunkSize ?? 5_000;
    this.copyChunkSize = options.copyChunkSize ?? 50_000;
    this.maxErrors = options.maxErrors ?? 1_000;
  }

  /** Every batch of stored ticks is appended to `stream` too (TICK_STREAM), without waiting for it. */
  attachTickStream(stream: TickStream | null): void {
    this.tickStream = stream;
  }

  private pendingAppends = 0;

  /** Chained so batches land in order; append never rejects (failures are counted and logged). A stream that
   *  falls maxPendingAppends batches behind drops new ones (counted as failures) rather than hold them all. */
  private appendToStream(stream: TickStream, ticks: Tick[]): void {
    if (this.pendingAppends >= (this.options.maxPendingAppends ?? MAX_PENDING_APPENDS)) return stream.dropped(ticks.length);
    this.pendingAppends += 1;
    this.appending = this.appending.then(() => stream.append(ticks)).finally(() => void (this.pendingAppends -= 1));
  }

  /** Resolves once every append started so far has finished (tests, shutdown). */
  tickStreamIdle(): Promise<void> {
    return this.appending;
  }

  /**
   * Folds ticks into their symbols' current MINUTE, HOUR and DAY candles: at
   * most five statements for any batch (partitions once a month, previous
   * closes once a day, one upsert per interval). Returns one update per symbol.
   */
  async ingestTicks(ticks: readonly Tick[], source = this.options.tickSource ?? 'live'): Promise<PriceUpdate[]> {
    const valid = ticks.filter((tick) => {
      const problem = tickProblem(tick);
      if (problem) this.options.onInvalidTick?.(problem);
      return problem === null;
    });
    if (valid.length === 0) return [];
    const minutes = aggregateTicks(valid, minuteStart);
    const hours = aggregateTicks(valid, hourStart);
    const days = aggregateTicks(valid, dayStart);

    const span = dateSpan(valid.map((t) => t.timestamp))!;
    await ensureMonths(this.sql, span.from, span.to);
    await this.loadPreviousCloses(days.map((d) => ({ symbol: d.symbol, day: d.ts })));

    const dayRows = await this.sql.transaction(async (tx) => {
      await upsertTickBuckets(tx, 'MINUTE', minutes, source);
      await upsertTickBuckets(tx, 'HOUR', hours, source);
      return upsertTickBuckets(tx, 'DAY', days, source);
    });
    if (this.tickStream) this.appendToStream(this.tickStream, valid);
    const dayVolume = new Map(dayRows.map((r) => [`${r.symbol}|${r.ts.getTime()}`, r.volume]));

    // Day buckets are sorted by symbol then day: the last of each symbol is its latest.
    const latest = new Map(days.map((d) => [d.symbol, d]));
    return [...latest.values()].map((bucket) => {
      const previous = this.previousCloses.get(dayNumber(bucket.ts))?.get(bucket.symbol) ?? null;
      const previousClose = previous === null ? null : new Decimal(previous);
      const change = previousClose ? bucket.close.minus(previousClose) : null;
      const changePercent = change && previousClose && !previousClose.isZero() ? change.div(previousClose).times(100) : null;
      return {
        symbol: bucket.symbol,
        price: bucket.close.toNumber(),
        previousClose: previousClose?.toNumber() ?? null,
        change: change?.toDecimalPlaces(6).toNumber() ?? null,
        changePercent: changePercent?.toDecimalPlaces(4).toNumber() ?? null,
        volume: Number(dayVolume.get(`${bucket.symbol}|${bucket.ts.getTime()}`) ?? bucket.volume),
        timestamp: bucket.lastAt,
      };
    });
  }

  /** Reads the previous trading day's close of every (symbol, day) not yet known, in one query. */
  private async loadPreviousCloses(pairs: { symbol: string; day: Date }[]): Promise<void> {
    const missing = pairs.filter((p) => !this.previousCloses.get(dayNumber(p.day))?.has(p.symbol));
    if (missing.length === 0) return;
    const closes = await previousDayCloses(this.sql, missing);
    missing.forEach((pair, i) => {
      const day = dayNumber(pair.day);
      let bySymbol = this.previousCloses.get(day);
      if (!bySymbol) this.previousCloses.set(day, (bySymbol = new Map()));
      bySymbol.set(pair.symbol, closes[i] ?? null);
    });
    // Keep today and yesterday (a batch may straddle midnight); forget older days.
    const newest = Math.max(...this.previousCloses.keys());
    for (const day of this.previousCloses.keys()) if (day < newest - 1) this.previousCloses.delete(day);
  }

  /**
   * Inserts the provider's candles of `symbols` with from <= ts <= to (null: no
   * bound) that are not stored yet, a chunk per statement: a second identical
   * run inserts nothing. Symbols not in the stock table are reported, never
   * written. For a file source an empty `symbols` takes every stock in it, and
   * rows of stocks not asked for are skipped.
   */
  async backfill(
    provider: MarketDataProvider,
    symbols: readonly string[],
    interval: CandleIntervalName,
    from: Date | null,
    to: Date | null,
  ): Promise<BackfillResult> {
    const report = new ReportBuilder(this.maxErrors);
    const bulk = isBulkHistorySource(provider);
    // A file may name any stock: its rows are checked against every symbol listed.
    const known = await knownSymbols(this.sql, bulk ? undefined : symbols);
    for (const symbol of symbols) if (!known.has(symbol)) report.problem({ symbol, reason: `unknown symbol ${symbol}` });
    const requested = symbols.length > 0 ? new Set(symbols) : null;
    if (bulk && isCopyChunkSource(provider)) {
      // A file is read straight into COPY text, each row checked once on the way.
      const options = { known, requested, from, to, interval, source: provider.name.slice(0, 20), chunkRows: this.copyChunkSize };
      const parallel = this.sql.kind === 'pglite' ? 1 : Math.max(1, this.options.copyParallelism ?? 2);
      await backfillCopyChunks(this.sql, provider, options, report, parallel);
      return report.result();
    }
    // A bulk source streams through COPY, a chunk in flight while the next one is read.
    const chunkSize = bulk ? this.copyChunkSize : this.chunkSize;
    const checked = bulk && provider.validatesCandles === true;
    let chunk: CandleInsertRow[] = [];
    let inFlight: Promise<void> = Promise.resolve();
    const load = async (chunkRows: CandleInsertRow[]) => {
      const span = dateSpan(chunkRows.map((r) => r.candle.ts));
      if (!span) return;
      await ensureMonths(this.sql, span.from, span.to);
      // A repeat run of a file finds most symbols stored in full: those rows are skipped unread by the database.
      const { rows, skipped, fresh } = bulk ? await dropStoredSymbols(this.sql, interval, chunkRows) : { rows: chunkRows, skipped: 0, fresh: false };
      report.skipped += skipped;
      if (rows.length === 0) return;
      const source = provider.name.slice(0, 20);
      // Nothing of a fresh chunk is stored yet: COPY straight in, no staging table.
      const inserted =
        fresh && (await copyFreshCandles(this.sql, interval, rows, source))
          ? newPerSymbol(rows)
          : bulk
            ? await copyCandlesIfAbsent(this.sql, interval, rows, source)
            : await insertCandlesIfAbsent(this.sql, interval, rows, source);
      report.skipped += rows.length - report.noteInserted(inserted);
    };
    const flush = async () => {
      const rows = chunk;
      chunk = [];
      const previous = inFlight;
      inFlight = Promise.resolve();
      await previous;
      inFlight = load(rows);
      // Awaited at the next flush or at the end; not an unhandled rejection meanwhile.
      inFlight.catch(() => undefined);
      if (!bulk) await inFlight;
    };
    // Synchronous but for a full chunk: no await per row.
    // `row` may be the provider's record itself (it has symbol and candle): one object less per row.
    const offer = (row: CandleInsertRow, line?: number): Promise<void> | undefined => {
      const { symbol, candle } = row;
      const problem = checked ? null : candleProblem(candle);
      if (problem) return void report.problem({ line, symbol, reason: problem });
      if ((from && candle.ts < from) || (to && candle.ts > to)) return void (report.skipped += 1);
      chunk.push(row);
      return chunk.length >= chunkSize ? flush() : undefined;
    };

    if (bulk) {
      try {
        const batched = provider.recordBatches !== undefined;
        const batches = provider.recordBatches
          ? provider.recordBatches(known, interval)
          : oneByOne(provider.records(known, interval) as AsyncIterable<HistoryRecord>);
        for await (const batch of batches) {
          for (const record of batch) {
            if (record.kind === 'problem') report.problem({ line: record.line, symbol: record.symbol, reason: record.reason });
            else if (requested && !requested.has(record.symbol)) report.skipped += 1;
            else {
              const loading = offer(record, record.line);
              if (loading) await loading;
            }
          }
          // A file read ahead resolves on microtasks alone: let the loading chunk's I/O in between batches.
          if (batched) await new Promise<void>((resolve) => setImmediate(resolve));
        }
      } catch (error) {
        const line = (error as { line?: unknown }).line;
        report.problem({ line: typeof line === 'number' ? line : undefined, reason: errorMessage(error) });
      }
    } else {
      if (!from || !to) throw new RangeError(`backfill from ${provider.name} needs both from and to`);
      for (const symbol of symbols.filter((s) => known.has(s))) {
        try {
          for (const candle of await provider.history(symbol, interval, from, to)) await offer({ symbol, candle });
        } catch (error) {
          report.problem({ symbol, reason: errorMessage(error) });
        }
      }
    }
    await flush();
    await inFlight;
    return report.result();
  }
}

async function* oneByOne(records: AsyncIterable<HistoryRecord>): AsyncIterable<HistoryRecord[]> {
  for await (const record of records) yield [record];
}

/** Per symbol of rows all written: how many and the earliest. */
function newPerSymbol(rows: readonly CandleInsertRow[]): { symbol: string; first: Date; n: number }[] {
  const bySymbol = new Map<string, { symbol: string; first: Date; n: number }>();
  for (const { symbol, candle } of rows) {
    const entry = bySymbol.get(symbol);
    if (!entry) bySymbol.set(symbol, { symbol, first: candle.ts, n: 1 });
    else {
      entry.n += 1;
      if (candle.ts < entry.first) entry.first = candle.ts;
    }
  }
  return [...bySymbol.values()];
}

function dayNumber(day: Date): number {
  return Math.floor(day.getTime() / 86_400_000);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
