import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCandleCopyChunks, type CandleCopyChunk, type CopyChunkOptions } from '../../src/providers/csv-copy-reader.js';
import { readCandleCsv } from '../../src/providers/csv-parser.js';

const scratch = mkdtempSync(join(tmpdir(), 'mg-csv-copy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let files = 0;
function csvFile(text: string): string {
  const file = join(scratch, `f${files++}.csv`);
  writeFileSync(file, text);
  return file;
}

interface Row {
  line?: number;
  symbol: string;
  ts: number;
  open: string;
  high: string;
  low: string;
  close: string;
  adjClose: string | null;
  volume: string;
}
interface Outcome {
  rows: Omit<Row, 'line'>[];
  problems: { line?: number; symbol?: string; reason: string }[];
  skipped: number;
}

const OPTIONS: CopyChunkOptions = { known: null, requested: null, from: null, to: null, interval: 'DAY', source: 'csv', chunkRows: 7 };

/** What the COPY reader writes, read back from its chunks' text. */
async function viaCopy(file: string, options: Partial<CopyChunkOptions> = {}): Promise<Outcome & { chunks: CandleCopyChunk[] }> {
  const outcome = { rows: [] as Outcome['rows'], problems: [] as Outcome['problems'], skipped: 0, chunks: [] as CandleCopyChunk[] };
  const sink = { problem: (p: Outcome['problems'][number]) => void outcome.problems.push(p), skipped: (n: number) => void (outcome.skipped += n) };
  for await (const chunk of readCandleCopyChunks(file, { ...OPTIONS, ...options }, sink)) {
    outcome.chunks.push(chunk);
    const lines = chunk.bytes.toString('latin1').split('\n').slice(0, -1);
    for (const text of lines) {
      const field = Object.fromEntries(text.split('\t').map((v, i) => [chunk.columns[i]!, v]));
      expect([field.interval, field.source]).toEqual(['DAY', 'csv']);
      const adj = field.adj_close === undefined || field.adj_close === '\\N' ? null : field.adj_close!;
      const ts = Date.parse(field.ts!.length === 10 ? `${field.ts}T00:00:00Z` : field.ts!);
      outcome.rows.push({ symbol: field.symbol!, ts, open: field.open!, high: field.high!, low: field.low!, close: field.close!, adjClose: adj, volume: field.volume! });
    }
  }
  return outcome;
}

/** The same file through readCandleCsv and parseCsvRow (the row-by-row reader), filtered as a backfill would. */
async function viaRecords(file: string, options: Partial<CopyChunkOptions> = {}): Promise<Outcome> {
  const { known, requested, from, to } = { ...OPTIONS, ...options };
  const outcome: Outcome = { rows: [], problems: [], skipped: 0 };
  for await (const record of readCandleCsv(file, { symbols: known })) {
    if (record.kind === 'problem') outcome.problems.push({ line: record.line, symbol: record.symbol, reason: record.reason });
    else if ((requested && !requested.has(record.symbol)) || (from && record.candle.ts < from) || (to && record.candle.ts > to)) outcome.skipped++;
    else {
      const { ts, ...prices } = record.candle;
      outcome.rows.push({ symbol: record.symbol, ts: ts.getTime(), ...prices });
    }
  }
  return outcome;
}

const TRICKY = [
  'AAPL,2024-01-02,187.15,188.44,183.885,185.64,82488700',
  'aapl,2024-01-03,187.15,188.44,183.885,185.64,82488700',
  ' AAPL , 2024-01-04 ,1,2,0.5,1.5,10',
  '"AAPL","2024-01-05","1","2","0.5","1.5","10"',
  '"AA,PL",2024-01-05,1,2,0.5,1.5,10',
  'AAPL,2024-01-08,1,2,0.5,1.5,0099',
  'AAPL,2024-01-09,1,2,0.5,1.5,0',
  'AAPL,2024-01-10,1,1.00000000000000002,1.00000000000000001,1,1',
  'AAPL,2024-01-11,1,1.00000000000000001,1.00000000000000002,1,1',
  'AAPL,2024-01-12,1,1.5,1.50,1.5,1',
  'AAPL,2024-01-15,1,1.49,1.5,1.5,1',
  'AAPL,2024-01-16,1,0.000,0.000,1.5,1',
  'AAPL,2024-01-17,-1,2,0.5,1.5,1',
  'AAPL,2024-01-18,1.,2,0.5,1.5,1',
  'AAPL,2024-01-19,.5,2,0.5,1.5,1',
  'AAPL,2024-01-22,1e3,2000,0.5,1.5,1',
  'AAPL,2024-01-23,1234567890123,1234567890123,1,1.5,1',
  'AAPL,2024-01-24,123456789012,123456789012.5,1,1.5,1',
  'AAPL,2024-02-30,1,2,0.5,1.5,1',
  'AAPL,2023-02-29,1,2,0.5,1.5,1',
  'AAPL,2024-02-29,1,2,0.5,1.5,1',
  'AAPL,1900-02-29,1,2,0.5,1.5,1',
  'AAPL,2000-02-29,1,2,0.5,1.5,1',
  'AAPL,0099-01-01,1,2,0.5,1.5,1',
  'AAPL,0100-03-01,1,2,0.5,1.5,1',
  'AAPL,2024-1-02,1,2,0.5,1.5,1',
  'AAPL,2024-01-25,1,2,0.5',
  'AAPL,2024-01-26,1,2,0.5,1.5,1,9',
  '',
  '   ',
  'ZZZZ,2024-01-02,1,2,0.5,1.5,1',
  'ZZZZ,not a date,1,2,0.5,1.5,1',
  'MSFT,2024-01-02,1,2,0.5,1.5,1',
  'MSFT,2024-01-03,1,0.5,2,1.5,1',
  'ÄAPL,2024-01-02,1,2,0.5,1.5,1',
  `AAPL,2024-01-29,1.${'0'.repeat(300)}1,2,0.5,1.5,1`,
  'ABCDEFGHIJ,2024-01-02,1,2,0.5,1.5,1',
  'ABCDEFGHIJK,2024-01-02,1,2,0.5,1.5,1',
  'BRK.B,2024-01-02,1,2,0.5,1.5,1',
  'BF-B,2024-01-02,1,2,0.5,1.5,1',
  'AAPL,2024-01-30,1,2,0.5,1.5,123456789012345678',
  'AAPL,2024-01-31,1,2,0.5,1.5,1234567890123456789',
  'AAPL,2024-01-02,187.15,188.44,183.885,185.64,82488700',
  'AAPL,2023-12-29,1,2,0.5,1.5,1',
  'AAPL,2024-01-02,1\t,2,0.5,1.5,1',
  'AAPL,2024-01-02,1\\,2,0.5,1.5,1',
];
const KNOWN = new Set(['AAPL', 'MSFT', 'BRK.B', 'BF-B', 'ABCDEFGHIJ']);

/** A deterministic mix of good and bad lines (mulberry32). */
function fuzzLines(seed: number, n: number): string[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const symbols = ['AAPL', 'MSFT', 'BRK.B', 'aapl', 'ZZZZ', ' MSFT', '"AAPL"', 'BF-B'];
  const goodPrices = ['1', '2', '10.5', '0.5', '187.15', '1.50', '999999999999.999', '1.0000000000000001', '"2"', ' 3'];
  const badPrices = ['0', '-1', 'x', '', '1e2', '0.000'];
  const price = () => (random() < 0.9 ? pick(goodPrices) : pick(badPrices));
  const volumes = ['1', '0', '0099', '123', '', '-5', '1.5', '123456789012345678'];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const day = 1 + Math.floor(random() * 40);
    const date = random() < 0.95 ? new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10) : pick(['2024-02-30', '24-01-01', '']);
    const fields = [pick(symbols), date, price(), price(), price(), price(), pick(volumes)];
    if (random() < 0.03) fields.pop();
    lines.push(fields.join(','));
  }
  return lines;
}

describe('the CSV reader that writes COPY text', () => {
  it('accepts, rejects and rewrites every tricky line exactly as the row-by-row parser does', async () => {
    const file = csvFile(['symbol,date,open,high,low,close,volume', ...TRICKY].join('\n') + '\n');
    const copy = await viaCopy(file, { known: KNOWN });
    const { chunks, ...outcome } = copy;
    expect(outcome).toEqual(await viaRecords(file, { known: KNOWN }));
    expect(outcome.rows.length).toBeGreaterThan(10);
    expect(outcome.problems.length).toBeGreaterThan(20);
  });

  it('agrees with the row-by-row parser on thousands of generated lines, in any column order, with CRLF and a last line without a newline', async () => {
    for (const [seed, header] of [
      [1, ['symbol', 'date', 'open', 'high', 'low', 'close', 'volume']],
      [2, ['volume', 'close', 'adj_close', 'symbol', 'low', 'date', 'high', 'open']],
    ] as const) {
      const lines = fuzzLines(seed, 3000).map((line) => {
        if (header.length === 7) return line;
        const [symbol, date, open, high, low, close, volume] = line.split(',');
        const adj = seed % 2 === 0 && open !== '1' ? open : '';
        return [volume, close, adj, symbol, low, date, high, open].slice(0, line.split(',').length + 1).join(',');
      });
      const file = csvFile(`${header.join(',')}\r\n${lines.join('\r\n')}`);
      const options = { known: KNOWN, requested: new Set(['AAPL', 'BRK.B', 'BF-B']), from: new Date('2024-01-05T00:00:00Z'), to: new Date('2024-02-05T00:00:00Z') };
      const { chunks, ...outcome } = await viaCopy(file, options);
      const expected = await viaRecords(file, options);
      expect(outcome).toEqual(expected);
      expect(expected.rows.length).toBeGreaterThan(100);
      expect(expected.skipped).toBeGreaterThan(100);
      expect(chunks.length).toBeGreaterThan(10);
    }
  });

  it('describes each chunk: its rows per symbol, their distinct times in order, and each row’s symbol', async () => {
    const file = csvFile(
      [
        'symbol,date,open,high,low,close,volume',
        'MSFT,2024-01-03,1,2,0.5,1.5,1',
        'MSFT,2024-01-02,1,2,0.5,1.5,1',
        'AAPL,2024-01-02,1,2,0.5,1.5,1',
        'MSFT,2024-01-03,1,2,0.5,1.5,1',
        'AAPL,2024-01-04,1,2,0.5,1.5,1',
        'AAPL,2024-01-05,1,2,0.5,1.5,1',
      ].join('\n') + '\n',
    );
    const { chunks } = await viaCopy(file, { chunkRows: 4 });
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
    expect(chunks.map((c) => ({ rows: c.rows, symbols: c.symbols, minTs: c.minTs, maxTs: c.maxTs, rowSymbol: [...c.rowSymbol] }))).toEqual([
      {
        rows: 4,
        symbols: [
          { symbol: 'MSFT', times: [day('2024-01-02'), day('2024-01-03')], rows: 3 },
          { symbol: 'AAPL', times: [day('2024-01-02')], rows: 1 },
        ],
        minTs: day('2024-01-02'),
        maxTs: day('2024-01-03'),
        rowSymbol: [0, 0, 1, 0],
      },
      { rows: 2, symbols: [{ symbol: 'AAPL', times: [day('2024-01-04'), day('2024-01-05')], rows: 2 }], minTs: day('2024-01-04'), maxTs: day('2024-01-05'), rowSymbol: [0, 0] },
    ]);
    const first = chunks[0]!;
    expect(first.bytes.toString('latin1', first.rowEnd[1]!, first.rowEnd[2]!)).toBe('AAPL\t2024-01-02\t1\t2\t0.5\t1.5\t1\tDAY\tcsv\n');
  });
});
