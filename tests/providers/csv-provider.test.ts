import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvHeaderError, parseCsvDate, readCandleCsv, splitCsvLine } from '../../src/providers/csv-parser.js';
import { CsvProvider } from '../../src/providers/csv-provider.js';

// The CSV importer's fixtures live beside its tests in tests/modules/market.
const fixture = (name: string) => fileURLToPath(new URL(`../modules/market/fixtures/${name}`, import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'mg-csv-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Rows an endless source gives at most, so that a parser which does not stream fails instead of running out of memory. */
const SAFETY_CAP = 500_000;

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('the CSV parser', () => {
  it('splits fields with quotes, doubled quotes and spaces', () => {
    expect(splitCsvLine('AAPL, "2024-01-02","a ""quoted"", b",1')).toEqual(['AAPL', '2024-01-02', 'a "quoted", b', '1']);
  });

  it('accepts only real calendar dates written YYYY-MM-DD', () => {
    expect(parseCsvDate('2024-02-29')).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect([parseCsvDate('2023-02-29'), parseCsvDate('2024-13-01'), parseCsvDate('2024-1-2'), parseCsvDate('')]).toEqual([null, null, null, null]);
  });

  it('reads a BOM, columns in any order, quoted values, CRLF and blank lines', async () => {
    const records = await all(readCandleCsv(fixture('ok/adjusted.csv')));
    expect(records).toEqual([
      { kind: 'candle', line: 2, symbol: 'NVDA', candle: { ts: new Date('2024-01-04T00:00:00Z'), open: '47.77', high: '48.5', low: '47.51', close: '47.998', adjClose: '47.969', volume: '306535000' } },
      { kind: 'candle', line: 4, symbol: 'NVDA', candle: { ts: new Date('2024-01-05T00:00:00Z'), open: '48.46', high: '49.55', low: '48.31', close: '49.097', adjClose: '49.067', volume: '415039000' } },
    ]);
  });

  it('rejects a file without the required header, or an empty one', async () => {
    await expect(all(readCandleCsv(fixture('not-ok/bad-header.csv')))).rejects.toThrow(CsvHeaderError);
    const empty = join(scratch, 'empty.csv');
    writeFileSync(empty, '');
    await expect(all(readCandleCsv(empty))).rejects.toThrow('the file is empty; expected the header symbol,date,open,high,low,close,volume');
  });

  it('streams: from a source that never ends it yields the first rows, and stops reading when the caller stops', async () => {
    const row = 'AAPL,2024-01-02,187.15,188.44,183.885,185.64,82488700\n';
    let produced = 0;
    // Rows without end, as far as a streaming reader can tell. The cap only keeps a broken
    // parser that reads its input whole from exhausting memory: it then fails on `produced`.
    const endless = new Readable({
      read() {
        if (produced === 0) this.push('symbol,date,open,high,low,close,volume\n');
        if (produced >= SAFETY_CAP) return void this.push(null);
        for (let i = 0; i < 100; i++) produced++, this.push(row);
      },
    });
    const seen: string[] = [];
    for await (const record of readCandleCsv(endless)) {
      seen.push(record.kind === 'candle' ? record.symbol : record.reason);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['AAPL', 'AAPL', 'AAPL']);
    expect(endless.destroyed).toBe(true);
    // Only what the stream buffers ahead (highWaterMark) was produced, not an unbounded amount.
    expect(produced).toBeLessThan(10_000);
  });

  it('streams a file too: a named pipe that is written forever yields its first rows through CsvProvider', async () => {
    const fifo = join(scratch, 'endless.csv');
    execFileSync('mkfifo', [fifo]);
    const writer = createWriteStream(fifo);
    writer.on('error', () => undefined); // EPIPE once the reader has gone
    let written = 0;
    const feed = () => {
      while (!writer.destroyed && written < SAFETY_CAP && writer.write('AAPL,2024-01-02,187.15,188.44,183.885,185.64,82488700\n')) written++;
      if (written >= SAFETY_CAP) writer.end();
      else if (!writer.destroyed) writer.once('drain', feed);
    };
    writer.write('symbol,date,open,high,low,close,volume\n');
    feed();
    const seen: number[] = [];
    for await (const record of new CsvProvider(fifo).records(null, 'DAY')) {
      seen.push(record.line ?? -1);
      if (seen.length === 3) break;
    }
    writer.destroy();
    expect(seen).toEqual([2, 3, 4]);
    expect(written).toBeLessThan(10_000);
  });
});

describe('CsvProvider', () => {
  it('serves one symbol’s good rows within [from, to] as history, and has no live quotes', async () => {
    const provider = new CsvProvider(fixture('not-ok/mixed.csv'));
    const candles = await provider.history('AAPL', 'DAY', new Date('2024-02-01T00:00:00Z'), new Date('2024-02-08T00:00:00Z'));
    expect(candles.map((c) => c.ts.toISOString())).toEqual(['2024-02-01T00:00:00.000Z']);
    expect(await provider.quotes(['AAPL'])).toEqual([]);
  });

  it('refuses intraday intervals and a missing file, naming the problem', async () => {
    await expect(new CsvProvider(fixture('ok/prices.csv')).history('AAPL', 'MINUTE', new Date(0), new Date())).rejects.toThrow('csv: files hold daily candles only, not MINUTE');
    await expect(new CsvProvider(join(scratch, 'nope.csv')).history('AAPL', 'DAY', new Date(0), new Date())).rejects.toThrow(/csv: cannot read .*nope\.csv: ENOENT/);
    await expect(new CsvProvider(null).history('AAPL', 'DAY', new Date(0), new Date())).rejects.toThrow('csv: no file given');
  });
});
