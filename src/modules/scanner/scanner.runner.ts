import type { Cache } from '../../cache/cache.js';
import type { SqlExecutor } from '../../db/sql-executor.js';
import type { Logger } from '../../log.js';
import type { EventBus } from '../../realtime/event-bus.js';
import { scanTopic, type ScanCompletedEvent } from '../../realtime/topics.js';
import type { ScanCompute } from '../../workers/scan-pool.js';
import { rankHits, SCAN_KINDS, type RankedHit, type ScanKindName, type ScanTimeframeName, type SymbolScan } from './scan-math.js';
import { packedDailySeries, pruneRuns, scannableSymbols, writeRun, type ScanResultRow, type ScanRunRow } from './scanner.store.js';

const DAY_MS = 86_400_000;

/** marketScan answers (latest run, a run's hits of a kind) stay cached this long; a new run replaces the latest pointer. */
export const SCAN_CACHE_SECONDS = 600;
export const latestRunKey = (timeframe: ScanTimeframeName) => `scan:latest:${timeframe}`;
export const runResultsKey = (timeframe: ScanTimeframeName, scannedAt: Date, kind: ScanKindName) => `scan:results:${timeframe}:${scannedAt.getTime()}:${kind}`;

/** The cached form of a run (JSON). */
export interface CachedRun extends Omit<ScanRunRow, 'scannedAt'> {
  scannedAt: string;
}
export const toCachedRun = (run: ScanRunRow): CachedRun => ({ ...run, scannedAt: run.scannedAt.toISOString() });
export const fromCachedRun = (run: CachedRun): ScanRunRow => ({ ...run, scannedAt: new Date(run.scannedAt) });

/** Calendar days of daily candles read per timeframe: 252 sessions plus slack for DAILY, 200+ weeks (the weekly SMA 200) for WEEKLY. */
const HISTORY_DAYS: Record<ScanTimeframeName, number> = { DAILY: 420, WEEKLY: 5 * 366 };
/** A symbol whose last candle is older than this before the scan (delisted, halted) is left out. */
const STALE_AFTER_DAYS = 14;
/** Symbols read and scanned per statement and worker task. */
const SYMBOLS_PER_BATCH = 50;
/** Hits kept per kind and run. */
export const MAX_HITS_PER_KIND = 250;
/** Runs older than this are deleted after each run. */
const KEEP_RUNS_DAYS = 90;

export interface ScanRunnerDependencies {
  sql: SqlExecutor;
  cache: Cache;
  bus: EventBus;
  compute: ScanCompute;
  logger?: Logger;
}

export function toResultRow(hit: RankedHit): ScanResultRow {
  const { scan } = hit;
  return { symbol: scan.symbol, kind: hit.kind, rank: hit.rank, value: hit.value, changePercent: scan.changePercent, volumeRatio: scan.volumeRatio, trend: scan.trend, support: scan.support, resistance: scan.resistance };
}

/**
 * One scan run: every scannable symbol's daily candles up to `at`, batch by batch through the scan worker, ranked per
 * kind, written as one run (the same timeframe and time again replaces it), then cached and announced on scanTopic.
 */
export class ScanRunner {
  constructor(private readonly deps: ScanRunnerDependencies) {}

  async run(timeframe: ScanTimeframeName, at = new Date()): Promise<ScanRunRow> {
    const scannedAt = new Date(Math.floor(at.getTime()));
    const from = new Date(scannedAt.getTime() - HISTORY_DAYS[timeframe] * DAY_MS);
    const staleBefore = scannedAt.getTime() - STALE_AFTER_DAYS * DAY_MS;
    const symbols = await scannableSymbols(this.deps.sql);
    const scans: SymbolScan[] = [];
    for (let i = 0; i < symbols.length; i += SYMBOLS_PER_BATCH) {
      const series = await packedDailySeries(this.deps.sql, symbols.slice(i, i + SYMBOLS_PER_BATCH), from, scannedAt);
      if (series.length > 0) scans.push(...(await this.deps.compute.run({ timeframe, series, staleBefore })));
    }
    const hits = rankHits(scans, MAX_HITS_PER_KIND);
    const kindCounts: Partial<Record<ScanKindName, number>> = {};
    for (const kind of SCAN_KINDS) kindCounts[kind] = 0;
    for (const hit of hits) kindCounts[hit.kind]! += 1;
    const run: ScanRunRow = { timeframe, scannedAt, resultCount: hits.length, kindCounts, symbolCount: scans.length };
    await writeRun(this.deps.sql, run, hits);
    await pruneRuns(this.deps.sql, timeframe, new Date(scannedAt.getTime() - KEEP_RUNS_DAYS * DAY_MS)).catch((err: unknown) =>
      this.deps.logger?.warn({ err, timeframe }, 'could not prune old scan runs; the next run tries again'),
    );
    await this.cacheRun(run, hits);
    const event: ScanCompletedEvent & { symbolCount: number; resultCount: number } = {
      timeframe,
      scannedAt: scannedAt.toISOString(),
      hits: hits.map((hit) => ({ kind: hit.kind, symbol: hit.scan.symbol })),
      symbolCount: run.symbolCount,
      resultCount: run.resultCount,
    };
    await this.deps.bus.publish(scanTopic(timeframe), event);
    this.deps.logger?.info({ timeframe, scannedAt: event.scannedAt, symbols: run.symbolCount, hits: run.resultCount }, 'market scan done');
    return run;
  }

  /** Write-through: the new run's hits per kind, then the latest pointer (readers follow it to the new run at once). */
  private async cacheRun(run: ScanRunRow, hits: readonly RankedHit[]): Promise<void> {
    const { cache } = this.deps;
    for (const kind of SCAN_KINDS) {
      const rows = hits.filter((hit) => hit.kind === kind).map(toResultRow);
      await cache.set(runResultsKey(run.timeframe, run.scannedAt, kind), rows, SCAN_CACHE_SECONDS);
    }
    await cache.set(latestRunKey(run.timeframe), toCachedRun(run), SCAN_CACHE_SECONDS);
  }
}
