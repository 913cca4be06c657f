// Daily candles from a CSV file (see csv-parser.ts for the format). A backfill
// source only: it has no live quotes, so quotes() returns nothing.

import { access } from 'node:fs/promises';
import { readCandleCopyChunks, type CandleCopyChunk, type CopyChunkOptions, type CopyChunkSink } from './csv-copy-reader.js';
import { readCandleCsvBatches } from './csv-parser.js';
import {
  ProviderError,
  type BulkHistorySource,
  type CandleIntervalName,
  type HistoryCandle,
  type HistoryRecord,
  type MarketDataProvider,
  type Tick,
} from './market-data-provider.js';

export class CsvProvider implements MarketDataProvider, BulkHistorySource {
  readonly name = 'csv';
  /** parseCsvRow checks each row as ingestion would. */
  readonly validatesCandles = true;

  /** `file`: the CSV to read; null for a provider configured without one (no history at all). */
  constructor(readonly file: string | null) {}

  async quotes(_symbols: readonly string[]): Promise<Tick[]> {
    return [];
  }

  /** Every record of the file: candles (of `symbols` only, when given) and problems with their line numbers. */
  async *records(symbols: ReadonlySet<string> | null, interval: CandleIntervalName): AsyncIterable<HistoryRecord> {
    for await (const batch of this.recordBatches(symbols, interval)) yield* batch;
  }

  /** records() a few thousand at a time. */
  async *recordBatches(symbols: ReadonlySet<string> | null, interval: CandleIntervalName): AsyncIterable<HistoryRecord[]> {
    // A bad header ends the file with a CsvHeaderError (line 1).
    yield* readCandleCsvBatches(await this.readableFile(interval), { symbols });
  }

  /** The file's good rows as COPY text chunks, checked once (what backfill uses); see csv-copy-reader.ts. */
  async *copyChunks(options: CopyChunkOptions, sink: CopyChunkSink): AsyncIterable<CandleCopyChunk> {
    yield* readCandleCopyChunks(await this.readableFile(options.interval), options, sink);
  }

  private async readableFile(interval: CandleIntervalName): Promise<string> {
    if (this.file === null) throw new ProviderError(this.name, 'csv: no file given');
    if (interval !== 'DAY') throw new ProviderError(this.name, `csv: files hold daily candles only, not ${interval}`);
    try {
      await access(this.file);
    } catch (error) {
      throw new ProviderError(this.name, `csv: cannot read ${this.file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
    }
    return this.file;
  }

  /** The symbol's good rows with from <= date <= to, oldest first; bad rows are left out. */
  async history(symbol: string, interval: CandleIntervalName, from: Date, to: Date): Promise<HistoryCandle[]> {
    const candles: HistoryCandle[] = [];
    for await (const record of this.records(new Set([symbol]), interval)) {
      if (record.kind === 'candle' && record.candle.ts >= from && record.candle.ts <= to) candles.push(record.candle);
    }
    return candles.sort((a, b) => a.ts.getTime() - b.ts.getTime());
  }
}
