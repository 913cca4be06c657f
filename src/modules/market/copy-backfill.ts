// Loads a CSV source's COPY chunks (see providers/csv-copy-reader.ts): per
// chunk, symbols stored in full over their span are left out (a repeat run
// sends no COPY at all); a chunk with nothing stored in its span and no
// repeated (symbol, day) is COPYed straight into stock_price, any other one
// through a staging table and ON CONFLICT DO NOTHING. One chunk loads while
// the reader parses the next.

import type { SqlExecutor } from '../../db/sql-executor.js';
import type { CandleCopyChunk, CopyChunkOptions, CopyChunkSink } from '../../providers/csv-copy-reader.js';
import type { CandleIntervalName } from '../../providers/market-data-provider.js';
import type { ReportBuilder } from './backfill-report.js';
import { copyFreshText, copyTextIfAbsent } from './candle-sql.js';
import { ensureMonths } from './partition-guard.js';
import { storedInFull } from './stored-ranges.js';

/** A source that writes its rows as COPY chunks itself (CsvProvider). */
export interface CopyChunkSource {
  copyChunks(options: CopyChunkOptions, sink: CopyChunkSink): AsyncIterable<CandleCopyChunk>;
}

export function isCopyChunkSource(provider: object): provider is CopyChunkSource {
  return typeof (provider as Partial<CopyChunkSource>).copyChunks === 'function';
}

/** The chunk's rows of the symbols whose index is in `keep`, as one COPY payload. */
function keptRows(chunk: CandleCopyChunk, keep: Uint8Array): { bytes: Buffer; rows: number } {
  const parts: Buffer[] = [];
  let rows = 0;
  let start = 0;
  let runStart = -1;
  for (let i = 0; i < chunk.rows; i++) {
    const end = chunk.rowEnd[i]!;
    if (keep[chunk.rowSymbol[i]!]) {
      if (runStart < 0) runStart = start;
      rows++;
    } else if (runStart >= 0) {
      parts.push(chunk.bytes.subarray(runStart, start));
      runStart = -1;
    }
    start = end;
  }
  if (runStart >= 0) parts.push(chunk.bytes.subarray(runStart, start));
  return { bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts), rows };
}

async function loadChunk(sql: SqlExecutor, interval: CandleIntervalName, chunk: CandleCopyChunk, report: ReportBuilder): Promise<void> {
  await ensureMonths(sql, new Date(chunk.minTs), new Date(chunk.maxTs));
  const { full, storedElsewhere } = await storedInFull(sql, interval, chunk.symbols);
  let payload = chunk.bytes;
  let rows = chunk.rows;
  let repeats = false;
  const keep = new Uint8Array(chunk.symbols.length);
  chunk.symbols.forEach((s, i) => {
    if (full.has(s.symbol)) report.skipped += s.rows;
    else {
      keep[i] = 1;
      if (s.rows !== s.times.length) repeats = true;
    }
  });
  if (full.size === chunk.symbols.length) return;
  if (full.size > 0) ({ bytes: payload, rows } = keptRows(chunk, keep));
  const fresh = !storedElsewhere && !repeats && (await copyFreshText(sql, chunk.columns, payload));
  const inserted = fresh
    ? chunk.symbols.filter((_, i) => keep[i]).map((s) => ({ symbol: s.symbol, first: new Date(s.times[0]!), n: s.rows }))
    : await copyTextIfAbsent(sql, interval, chunk.columns, payload);
  report.skipped += rows - report.noteInserted(inserted);
}

/** Per symbol of a chunk, its first and last time: two chunks whose ranges of a symbol never meet share no row. */
type SymbolRanges = Map<string, readonly [number, number]>;

function rangesOf(chunk: CandleCopyChunk): SymbolRanges {
  return new Map(chunk.symbols.map((s) => [s.symbol, [s.times[0]!, s.times[s.times.length - 1]!] as const]));
}

function meet(a: SymbolRanges, b: SymbolRanges): boolean {
  for (const [symbol, [first, last]] of a) {
    const other = b.get(symbol);
    if (other && first <= other[1] && other[0] <= last) return true;
  }
  return false;
}

/**
 * Reads every chunk of `source` into stock_price; bad and skipped rows land in `report` as met.
 * Up to `parallel` chunks load at once, each in its own transaction on its own connection, but
 * only chunks that cannot hold the same row (for each symbol they share, their time ranges do not
 * meet): no two loads ever wait on each other's rows, so they cannot deadlock, and a chunk's check
 * of what is stored cannot miss rows of a load still running.
 */
export async function backfillCopyChunks(
  sql: SqlExecutor,
  source: CopyChunkSource,
  options: CopyChunkOptions,
  report: ReportBuilder,
  parallel = 1,
): Promise<void> {
  const sink: CopyChunkSink = { problem: (p) => report.problem(p), skipped: (n) => void (report.skipped += n) };
  const chunks = source.copyChunks(options, sink)[Symbol.asyncIterator]();
  const loading: { done: Promise<void>; ranges: SymbolRanges }[] = [];
  try {
    for (;;) {
      let next: IteratorResult<CandleCopyChunk>;
      try {
        next = await chunks.next();
      } catch (error) {
        // The source failed (a bad header, an unreadable file): a problem of the report, not a failure.
        const line = (error as { line?: unknown }).line;
        report.problem({ line: typeof line === 'number' ? line : undefined, reason: error instanceof Error ? error.message : String(error) });
        break;
      }
      if (next.done) break;
      const ranges = rangesOf(next.value);
      while (loading.length >= parallel || loading.some((l) => meet(ranges, l.ranges))) await loading.shift()!.done;
      const done = loadChunk(sql, options.interval, next.value, report);
      // Awaited before a later chunk or at the end; not an unhandled rejection meanwhile.
      done.catch(() => undefined);
      loading.push({ done, ranges });
    }
    while (loading.length > 0) await loading.shift()!.done;
  } finally {
    // After a failed load, let the others settle before the caller hears of it.
    await Promise.allSettled(loading.map((l) => l.done));
    await chunks.return?.();
  }
}
