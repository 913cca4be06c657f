import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDailyCandles } from '../../../src/db/seed/price-path.js';
import { SEED_STOCKS } from '../../../src/db/seed/stocks.data.js';
import { IngestService } from '../../../src/modules/market/ingest.service.js';
import { CsvProvider } from '../../../src/providers/csv-provider.js';
import { ProviderError, type MarketDataProvider } from '../../../src/providers/market-data-provider.js';
import { SimulatedProvider } from '../../../src/providers/simulated-provider.js';
import { openTestDatabase, type TestDatabase } from '../../support/databases.js';
import { countingExecutor, kinds } from './counting-executor.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase('stock');
  await db.sql.exec(MARKET);
});
afterAll(() => db?.close());

const day = (date: string) => new Date(`${date}T00:00:00Z`);

async function stored(symbol: string, from: string, to: string) {
  return db.sql.query<Record<string, string>>(
    `SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, open::text, high::text, low::text, close::text,
            adj_close::text AS "adjClose", volume::text, source
     FROM stock_price WHERE symbol = $1 AND interval = 'DAY' AND ts BETWEEN $2 AND $3 ORDER BY ts`,
    [symbol, day(from).toISOString(), day(to).toISOString()],
  );
}

describe('backfill from the simulated provider', () => {
  it('inserts the seed price path, one statement per chunk, and inserts nothing the second time', async () => {
    const sql = countingExecutor(db.sql);
    const ingest = new IngestService(sql, { chunkSize: 50 });
    const provider = new SimulatedProvider(new Map());
    const expected = generateDailyCandles(SEED_STOCKS.find((s) => s.symbol === 'AAPL')!, day('2022-01-01'), day('2022-03-31'));
    expect(expected).toHaveLength(64); // weekdays of 2022 Q1 (the price path knows no holidays)

    const first = await ingest.backfill(provider, ['AAPL', 'MSFT'], 'DAY', day('2022-01-01'), day('2022-03-31'));
    expect(first).toEqual({
      inserted: 128, skipped: 0, errors: [],
      firstNew: [{ symbol: 'AAPL', from: day('2022-01-03') }, { symbol: 'MSFT', from: day('2022-01-03') }],
    });
    // 128 rows in chunks of 50: three INSERTs; partitions once for the whole range.
    expect(kinds(sql.statements)).toEqual(['SELECT', 'PARTITIONS', 'INSERT DAY', 'INSERT DAY', 'INSERT DAY']);
    const rows = await stored('AAPL', '2022-01-01', '2022-03-31');
    expect(rows[0]).toEqual({
      date: '2022-01-03',
      open: `${expected[0]!.open}00`,
      high: `${expected[0]!.high}00`,
      low: `${expected[0]!.low}00`,
      close: `${expected[0]!.close}00`,
      adjClose: `${expected[0]!.adjClose}00`,
      volume: expected[0]!.volume.toString(),
      source: 'simulated',
    });

    const again = await new IngestService(db.sql).backfill(provider, ['AAPL', 'MSFT'], 'DAY', day('2022-01-01'), day('2022-03-31'));
    expect(again).toEqual({ inserted: 0, skipped: 128, errors: [], firstNew: [] });
  });

  it('names unknown symbols and symbols whose provider failed, and still loads the others', async () => {
    const failing: MarketDataProvider = {
      name: 'flaky',
      quotes: async () => [],
      history: async (symbol, interval, from, to) => {
        if (symbol === 'MSFT') throw new ProviderError('flaky', 'flaky: MSFT: HTTP 503', { symbol });
        return [{ ts: from, open: '1', high: '2', low: '0.5', close: '1.5', adjClose: null, volume: '10' },
          { ts: to, open: '1', high: '0.5', low: '2', close: '1.5', adjClose: null, volume: '10' }];
      },
    };
    const report = await new IngestService(db.sql).backfill(failing, ['NOPE', 'MSFT', 'XOM'], 'DAY', day('2023-05-01'), day('2023-05-02'));
    expect(report).toEqual({
      inserted: 1,
      skipped: 0,
      errors: [
        { symbol: 'NOPE', reason: 'unknown symbol NOPE' },
        { symbol: 'MSFT', reason: 'flaky: MSFT: HTTP 503' },
        { symbol: 'XOM', reason: 'high 0.5 is below low 2' },
      ],
      firstNew: [{ symbol: 'XOM', from: day('2023-05-01') }],
    });
  });
});

describe('backfill from CSV files', () => {
  it('lands every row of the ok/ files, exactly as written, and nothing more on a second run', async () => {
    const ingest = new IngestService(db.sql);
    expect(await ingest.backfill(new CsvProvider(fixture('ok/prices.csv')), [], 'DAY', null, null)).toEqual({
      inserted: 4, skipped: 0, errors: [],
      firstNew: [{ symbol: 'AAPL', from: day('2024-01-02') }, { symbol: 'MSFT', from: day('2024-01-02') }],
    });
    expect(await ingest.backfill(new CsvProvider(fixture('ok/adjusted.csv')), [], 'DAY', null, null)).toEqual({
      inserted: 2, skipped: 0, errors: [], firstNew: [{ symbol: 'NVDA', from: day('2024-01-04') }],
    });
    expect(await ingest.backfill(new CsvProvider(fixture('ok/prices.csv')), [], 'DAY', null, null)).toEqual({ inserted: 0, skipped: 4, errors: [], firstNew: [] });

    expect(await stored('AAPL', '2024-01-02', '2024-01-02')).toEqual([
      { date: '2024-01-02', open: '187.150000', high: '188.440000', low: '183.885000', close: '185.640000', adjClose: null, volume: '82488700', source: 'csv' },
    ]);
    expect(await stored('NVDA', '2024-01-01', '2024-01-31')).toEqual([
      { date: '2024-01-04', open: '47.770000', high: '48.500000', low: '47.510000', close: '47.998000', adjClose: '47.969000', volume: '306535000', source: 'csv' },
      { date: '2024-01-05', open: '48.460000', high: '49.550000', low: '48.310000', close: '49.097000', adjClose: '49.067000', volume: '415039000', source: 'csv' },
    ]);
  });

  it('skips rows outside [from, to] and rows of symbols not asked for', async () => {
    const report = await new IngestService(db.sql).backfill(new CsvProvider(fixture('ok/prices.csv')), ['MSFT'], 'DAY', day('2024-01-03'), day('2024-01-03'));
    // Two AAPL rows not asked for, MSFT 2024-01-02 outside the range, MSFT 2024-01-03 already stored.
    expect(report).toEqual({ inserted: 0, skipped: 4, errors: [], firstNew: [] });
  });

  it('lands the good rows of not-ok/mixed.csv and names every bad one with its line and reason', async () => {
    const report = await new IngestService(db.sql).backfill(new CsvProvider(fixture('not-ok/mixed.csv')), [], 'DAY', null, null);
    expect(report).toEqual({
      inserted: 2,
      skipped: 0,
      errors: [
        { line: 3, reason: 'expected 7 columns, got 4' },
        { line: 4, symbol: 'AAPL', reason: 'unparsable number in close: "abc"' },
        { line: 5, symbol: 'AAPL', reason: 'negative price in open: -186.86' },
        { line: 6, symbol: 'AAPL', reason: 'high 185.00 is below low 188.61' },
        { line: 7, symbol: 'AAPL', reason: 'unknown date "2024-02-30": expected YYYY-MM-DD' },
        { line: 8, symbol: 'TSLA', reason: 'unknown symbol TSLA' },
        { line: 10, symbol: 'AAPL', reason: 'unknown date "02/12/2024": expected YYYY-MM-DD' },
      ],
      firstNew: [{ symbol: 'AAPL', from: day('2024-02-01') }],
    });
    expect((await stored('AAPL', '2024-02-01', '2024-02-29')).map((r) => r.date)).toEqual(['2024-02-01', '2024-02-09']);
  });

  it('reports a bad header as line 1 and a missing file by name, inserting nothing', async () => {
    const ingest = new IngestService(db.sql);
    expect(await ingest.backfill(new CsvProvider(fixture('not-ok/bad-header.csv')), [], 'DAY', null, null)).toEqual({
      inserted: 0,
      skipped: 0,
      errors: [{ line: 1, reason: 'header must be symbol,date,open,high,low,close,volume[,adj_close] in any order: missing date; unknown day' }],
      firstNew: [],
    });
    const missing = await ingest.backfill(new CsvProvider(fixture('not-ok/missing.csv')), [], 'DAY', null, null);
    expect(missing.errors).toEqual([{ reason: expect.stringMatching(/^csv: cannot read .*missing\.csv: ENOENT$/) }]);
  });
});
