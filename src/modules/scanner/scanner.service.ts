import type { Cache } from '../../cache/cache.js';
import type { SqlExecutor } from '../../db/sql-executor.js';
import { BadUserInputError } from '../../graphql/errors.js';
import { decodeCursor, encodeCursor, toPage } from '../../graphql/relay.js';
import type { EventBus } from '../../realtime/event-bus.js';
import { eventStream, type EventStreamOptions } from '../../realtime/event-stream.js';
import { scanTopic, type ScanCompletedEvent } from '../../realtime/topics.js';
import { SCAN_KINDS, type ScanKindName, type ScanTimeframeName } from './scan-math.js';
import { fromCachedRun, latestRunKey, runResultsKey, SCAN_CACHE_SECONDS, toCachedRun, type CachedRun, type ScanRunner } from './scanner.runner.js';
import { findRun, runResults, type ScanResultRow, type ScanRunRow } from './scanner.store.js';
import type { ScanKind, ScanResult, ScanResultConnection, ScanRun, ScanTimeframe } from './scanner.type.js';

const CURSOR = 'scan';

export function toScanRun(run: ScanRunRow): ScanRun {
  return {
    timeframe: run.timeframe as ScanTimeframe,
    scannedAt: run.scannedAt,
    resultCount: run.resultCount,
    symbolCount: run.symbolCount,
    kinds: SCAN_KINDS.map((kind) => ({ kind: kind as ScanKind, count: run.kindCounts[kind] ?? 0 })),
  };
}

/** A scanCompleted event as a ScanRun: counts from its hits (symbolCount rides along on the event the runner sends). */
export function scanRunOfEvent(event: ScanCompletedEvent & { symbolCount?: number }): ScanRun {
  const kindCounts: Partial<Record<ScanKindName, number>> = {};
  for (const hit of event.hits) kindCounts[hit.kind as ScanKindName] = (kindCounts[hit.kind as ScanKindName] ?? 0) + 1;
  return toScanRun({ timeframe: event.timeframe, scannedAt: new Date(event.scannedAt), resultCount: event.hits.length, kindCounts, symbolCount: event.symbolCount ?? 0 });
}

/**
 * marketScan pages and the admin's runMarketScan. A page reads the latest run of the timeframe (or the run its cursor
 * names, so paging stays on one run while a new one lands), both cached for SCAN_CACHE_SECONDS.
 */
export class ScannerService {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly cache: Cache,
    private readonly bus: EventBus,
    private readonly runner: ScanRunner | undefined,
  ) {}

  async page(timeframe: ScanTimeframeName, kind: ScanKindName, first: number, after: string | null): Promise<ScanResultConnection> {
    const position = after ? this.parseCursor(timeframe, after) : null;
    const run = position ? await this.runAt(timeframe, position.scannedAt) : await this.latest(timeframe);
    if (!run) return { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, run: null };
    const rows = await this.results(run, kind);
    const afterRank = position?.rank ?? 0;
    const start = rows.findIndex((row) => row.rank > afterRank);
    const window = start < 0 ? [] : rows.slice(start, start + first + 1);
    const nodes: ScanResult[] = window.map((row) => ({ ...row, kind: row.kind as ScanKind, trend: row.trend as ScanResult['trend'], timeframe: timeframe as ScanTimeframe, scannedAt: run.scannedAt }));
    const page = toPage(nodes, first, (node) => encodeCursor(CURSOR, `${timeframe}:${run.scannedAt.getTime()}:${node.rank}`));
    return { ...page, run: toScanRun(run) };
  }

  async run(timeframe: ScanTimeframeName): Promise<ScanRun> {
    // Wired by createInsights (ContextDependencies.insights.scanner); masked as INTERNAL_SERVER_ERROR and logged when missing.
    if (!this.runner) throw new Error('the scanner is not wired: ContextDependencies.insights.scanner is missing');
    return toScanRun(await this.runner.run(timeframe));
  }

  stream(timeframe: ScanTimeframeName, options?: EventStreamOptions): Promise<AsyncIterableIterator<ScanCompletedEvent>> {
    return eventStream<ScanCompletedEvent>(this.bus, [scanTopic(timeframe)], async () => [], options);
  }

  private parseCursor(timeframe: ScanTimeframeName, after: string): { scannedAt: Date; rank: number } {
    const [cursorTimeframe, ms, rank] = decodeCursor(CURSOR, after).split(':');
    const scannedAt = new Date(Number(ms));
    if (cursorTimeframe !== timeframe || !Number.isInteger(Number(rank)) || Number.isNaN(scannedAt.getTime())) {
      throw new BadUserInputError('after: not a cursor of this connection', 'after');
    }
    return { scannedAt, rank: Number(rank) };
  }

  private async latest(timeframe: ScanTimeframeName): Promise<ScanRunRow | null> {
    const cached = await this.cache.get<CachedRun>(latestRunKey(timeframe));
    if (cached) return fromCachedRun(cached);
    const run = await findRun(this.sql, timeframe);
    // No run yet is not cached: the first one should show as soon as it lands.
    if (run) await this.cache.set(latestRunKey(timeframe), toCachedRun(run), SCAN_CACHE_SECONDS);
    return run;
  }

  private async runAt(timeframe: ScanTimeframeName, scannedAt: Date): Promise<ScanRunRow | null> {
    const latest = await this.latest(timeframe);
    if (latest && latest.scannedAt.getTime() === scannedAt.getTime()) return latest;
    return findRun(this.sql, timeframe, scannedAt);
  }

  private async results(run: ScanRunRow, kind: ScanKindName): Promise<ScanResultRow[]> {
    const key = runResultsKey(run.timeframe, run.scannedAt, kind);
    const cached = await this.cache.get<ScanResultRow[]>(key);
    if (cached) return cached;
    const rows = await runResults(this.sql, run.timeframe, run.scannedAt, kind);
    await this.cache.set(key, rows, SCAN_CACHE_SECONDS);
    return rows;
  }
}
