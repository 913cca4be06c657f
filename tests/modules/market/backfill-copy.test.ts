import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyField, copyText } from '../../../src/db/copy-text.js';
import { copyFreshCandles } from '../../../src/modules/market/candle-sql.js';
import { IngestService } from '../../../src/modules/market/ingest.service.js';
import { CsvProvider } from '../../../src/providers/csv-provider.js';
import { openTestDatabase, type TestDatabase } from '../../support/databases.js';
import type { SqlExecutor } from '../../../src/db/sql-executor.js';
import { countingExecutor, kinds } from './counting-executor.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');
const MIXED = fileURLToPath(new URL('./fixtures/copy/mixed.csv', import.meta.url));
const day = (date: string) => new Date(`${date}T00:00:00Z`);

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await openTestDatabase('stock');
  await db.sql.exec(MARKET);
  dir = await mkdtemp(join(tmpdir(), 'mg-copy-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db?.close();
});

async function csv(name: string, rows: string[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, ['symbol,date,open,high,low,close,volume', ...rows].join('\n') + '\n');
  return file;
}

const daysOf = async (symbol: string) =>
  (await db.sql.query<{ d: string }>(
    `SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS d FROM stock_price WHERE symbol = $1 AND interval = 'DAY' ORDER BY ts`,
    [symbol],
  )).map((r) => r.d);

describe('COPY text format', () => {
  it('escapes backslashes, tabs, newlines and carriage returns, and writes null as \\N', () => {
    expect(copyField('BRK.B')).toBe('BRK.B');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField(null)).toBe('\\N');
    expect(copyText([['x', null], ['y', '1']])).toBe('x\t\\N\ny\t1\n');
  });

  it('round-trips tricky values through copyFrom on this driver, inside a transaction', async () => {
    const values = ['BRK.B', 'tab\there', 'line\nbreak', 'cr\rhere', 'back\\slash', '\\N', ' spaced ', 'ünïcode', ''];
    const stored = await db.sql.transaction(async (tx) => {
      await tx.exec('CREATE TEMP TABLE copy_probe (i int, v text) ON COMMIT DROP');
      await tx.copyFrom('copy_probe', ['i', 'v'], copyText([...values.map((v, i) => [String(i), v]), [String(values.length), null]]));
      return tx.query<{ i: number; v: string | null }>('SELECT i, v FROM copy_probe ORDER BY i');
    });
    expect(stored.map((r) => r.v)).toEqual([...values, null]);
  });
});

describe('backfill of a file through COPY', () => {
  it('reports inserted, skipped, errors and first new candles as the row-by-row path did, duplicates and stored rows included', async () => {
    // chunks of 2 rows: several COPYs, one in flight while the next chunk is read
    const result = await new IngestService(db.sql, { copyChunkSize: 2 }).backfill(new CsvProvider(MIXED), [], 'DAY', null, null);
    expect(result).toEqual({
      // AAPL 03-05 (its repeat is skipped), MSFT 03-03, BRK.B 03-04, NVDA 03-05
      inserted: 4,
      // AAPL 03-03, 03-04 and MSFT 03-04 were stored already; the repeated AAPL line
      skipped: 4,
      errors: [{ line: 9, symbol: 'BRK.B', reason: 'high 1.5 is below low 2.5' }],
      firstNew: [
        { symbol: 'AAPL', from: day('2025-03-05') },
        { symbol: 'BRK.B', from: day('2025-03-04') },
        { symbol: 'MSFT', from: day('2025-03-03') },
        { symbol: 'NVDA', from: day('2025-03-05') },
      ],
    });
    const [nvda] = await db.sql.query<Record<string, string>>(
      `SELECT open::text, adj_close::text AS adj, volume::text, source FROM stock_price WHERE symbol = 'NVDA' AND interval = 'DAY'`,
    );
    expect(nvda).toEqual({ open: '120.000001', adj: null, volume: '99', source: 'csv' });
    const [brk] = await db.sql.query<Record<string, string>>(`SELECT close::text, adj_close::text AS adj FROM stock_price WHERE symbol = 'BRK.B'`);
    expect(brk).toEqual({ close: '471.125000', adj: '471.125000' });
  });

  it('inserts nothing the second time, and sends no COPY when every symbol is stored in full', async () => {
    const sql = countingExecutor(db.sql);
    const again = await new IngestService(sql).backfill(new CsvProvider(MIXED), [], 'DAY', null, null);
    expect(again).toEqual({ inserted: 0, skipped: 8, errors: [{ line: 9, symbol: 'BRK.B', reason: 'high 1.5 is below low 2.5' }], firstNew: [] });
    expect(kinds(sql.statements)).not.toContain('COPY');
    expect(kinds(sql.statements).filter((k) => k.startsWith('INSERT'))).toEqual([]);
  });

  it('loads a symbol whose stored candles over the span are as many as the file has but on other days', async () => {
    // stored: 03-03, 03-04, 03-05 (from above); the file: 03-03, 03-04 and 03-06, span 03-03..03-06 holds 3 stored too
    const file = await csv('same-count.csv', [
      'AAPL,2025-03-03,1,1,1,1,1',
      'AAPL,2025-03-04,1,1,1,1,1',
      'AAPL,2025-03-06,190.00,191.00,189.00,190.50,1000',
    ]);
    await db.sql.exec(`DELETE FROM stock_price WHERE symbol = 'AAPL' AND ts = '2025-03-05T00:00:00Z'`);
    await db.sql.exec(`INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, volume)
      VALUES ('AAPL', 'DAY', '2025-03-05T00:00:00Z', 1, 1, 1, 1, 1)`);
    const result = await new IngestService(db.sql).backfill(new CsvProvider(file), ['AAPL'], 'DAY', null, null);
    expect(result).toEqual({ inserted: 1, skipped: 2, errors: [], firstNew: [{ symbol: 'AAPL', from: day('2025-03-06') }] });
    expect(await daysOf('AAPL')).toEqual(['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06']);
  });

  it('keeps only the rows in [from, to] and leaves a symbol stored in part to ON CONFLICT', async () => {
    const file = await csv('partial.csv', ['XOM,2025-02-27,1,1,1,1,1', 'XOM,2025-02-28,1,1,1,1,1', 'XOM,2025-03-03,1,1,1,1,1', 'XOM,2025-03-04,1,1,1,1,1']);
    await db.sql.exec(`INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, volume) VALUES ('XOM', 'DAY', '2025-03-03T00:00:00Z', 1, 1, 1, 1, 1)`);
    const result = await new IngestService(db.sql).backfill(new CsvProvider(file), [], 'DAY', day('2025-02-28'), null);
    expect(result).toEqual({ inserted: 2, skipped: 2, errors: [], firstNew: [{ symbol: 'XOM', from: day('2025-02-28') }] });
    expect(await daysOf('XOM')).toEqual(['2025-02-28', '2025-03-03', '2025-03-04']);
  });

  it('rejects a high below its low once, even where doubles cannot tell the two apart', async () => {
    const file = await csv('close-call.csv', ['NVDA,2025-03-07,1,1.00000000000000001,1.00000000000000002,1,1', 'NVDA,2025-03-10,1,1.00000000000000002,1.00000000000000001,1,1']);
    const result = await new IngestService(db.sql).backfill(new CsvProvider(file), ['NVDA'], 'DAY', null, null);
    expect(result.errors).toEqual([{ line: 2, symbol: 'NVDA', reason: 'high 1.00000000000000001 is below low 1.00000000000000002' }]);
    expect(result.inserted).toBe(1);
  });

  it('writes nothing straight into stock_price when a row of a chunk checked as fresh was stored meanwhile', async () => {
    await db.sql.exec(`INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, volume) VALUES ('XOM', 'DAY', '2025-03-10T00:00:00Z', 1, 1, 1, 1, 1)`);
    const candle = (date: string) => ({ ts: day(date), open: '2', high: '2', low: '2', close: '2', adjClose: null, volume: '2' });
    const rows = [{ symbol: 'XOM', candle: candle('2025-03-07') }, { symbol: 'XOM', candle: candle('2025-03-10') }];
    expect(await copyFreshCandles(db.sql, 'DAY', rows, 'csv')).toBe(false);
    expect(await daysOf('XOM')).not.toContain('2025-03-07');
  });

  it('stores a CSV row at UTC midnight of its date whatever the session time zone', async () => {
    // Every transaction starts in Auckland's zone: the COPY must set UTC itself.
    const auckland: SqlExecutor = { ...db.sql, transaction: (fn) => db.sql.transaction(async (tx) => (await tx.exec(`SET LOCAL TIME ZONE 'Pacific/Auckland'`), fn(tx))) };
    const file = await csv('zone.csv', ['XOM,2025-04-01,1,1,1,1,1', 'XOM,2025-04-01,1,1,1,1,1', 'NVDA,2025-04-01,1,1,1,1,1']);
    // One chunk with a repeated row (staging table), then a fresh one (straight into stock_price).
    const result = await new IngestService(auckland, { copyChunkSize: 2 }).backfill(new CsvProvider(file), [], 'DAY', null, null);
    expect(result.inserted).toBe(2);
    const stamps = await db.sql.query<{ symbol: string; t: string }>(
      `SELECT symbol, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS t FROM stock_price
       WHERE symbol IN ('XOM', 'NVDA') AND ts >= '2025-03-31T00:00:00Z' AND ts < '2025-04-03T00:00:00Z' ORDER BY symbol`,
    );
    expect(stamps).toEqual([{ symbol: 'NVDA', t: '2025-04-01 00:00' }, { symbol: 'XOM', t: '2025-04-01 00:00' }]);
  });

  /** db.sql, recording the most transactions open at once. */
  function concurrencyProbe(): { sql: SqlExecutor; max: () => number } {
    let open = 0;
    let max = 0;
    const sql: SqlExecutor = {
      ...db.sql,
      transaction: async (fn) => {
        max = Math.max(max, ++open);
        try {
          return await db.sql.transaction(fn);
        } finally {
          open--;
        }
      },
    };
    return { sql, max: () => max };
  }

  it('loads two chunks at once on PostgreSQL when they cannot share a row, and every row once', async () => {
    const rows = ['MSFT', 'NVDA', 'XOM'].flatMap((s) => ['2025-06-02', '2025-06-03'].map((d) => `${s},${d},1,1,1,1,1`));
    const probe = concurrencyProbe();
    const result = await new IngestService(probe.sql, { copyChunkSize: 2, copyParallelism: 2 }).backfill(new CsvProvider(await csv('disjoint.csv', rows)), [], 'DAY', null, null);
    expect(result).toMatchObject({ inserted: 6, skipped: 0, errors: [] });
    expect(probe.max()).toBe(db.sql.kind === 'pg' ? 2 : 1);
    expect(await daysOf('NVDA')).toEqual(expect.arrayContaining(['2025-06-02', '2025-06-03']));
  });

  it('loads chunks that repeat each other\'s rows one after the other, inserting each row once', async () => {
    // chunks of 2: [06-09, 06-11], [06-10, 06-11], [06-09, 06-12]: each meets the one before
    const days = ['2025-06-09', '2025-06-11', '2025-06-10', '2025-06-11', '2025-06-09', '2025-06-12'];
    const probe = concurrencyProbe();
    const file = await csv('overlapping.csv', days.map((d) => `XOM,${d},1,1,1,1,1`));
    const result = await new IngestService(probe.sql, { copyChunkSize: 2, copyParallelism: 2 }).backfill(new CsvProvider(file), [], 'DAY', null, null);
    expect(result).toEqual({ inserted: 4, skipped: 2, errors: [], firstNew: [{ symbol: 'XOM', from: day('2025-06-09') }] });
    expect(probe.max()).toBe(1);
    expect((await daysOf('XOM')).filter((d) => d >= '2025-06-09')).toEqual(['2025-06-09', '2025-06-10', '2025-06-11', '2025-06-12']);
  });
});
