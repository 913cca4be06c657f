import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../../src/modules/market/ingest.service.js';
import type { Tick } from '../../../src/providers/market-data-provider.js';
import { openTestDatabase, type TestDatabase } from '../../support/databases.js';
import { countingExecutor, kinds } from './counting-executor.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase('stock');
  await db.sql.exec(MARKET);
  // 100 more listed symbols for the batching test.
  await db.sql.exec(`INSERT INTO stock (symbol, name, sector, industry, exchange)
    SELECT 'S' || lpad(i::text, 3, '0'), 'Stock ' || i, 'Technology', 'Software', 'NYSE' FROM generate_series(0, 99) AS i`);
});
afterAll(() => db?.close());

const tick = (symbol: string, at: string, price: string, volume: number): Tick => ({ symbol, price, volume, timestamp: new Date(at) });

async function candles(symbol: string, interval: string) {
  return db.sql.query(
    `SELECT ts, open::text, high::text, low::text, close::text, adj_close::text AS "adjClose", volume::text, source
     FROM stock_price WHERE symbol = $1 AND interval = '${interval}'::candle_interval AND ts >= '2025-03-05' ORDER BY ts`,
    [symbol],
  );
}

describe('ingestTicks', () => {
  it('folds several ticks of one symbol into exact minute and day candles, across batches', async () => {
    const ingest = new IngestService(db.sql, { tickSource: 'simulated' });
    const first = await ingest.ingestTicks([
      tick('AAPL', '2025-03-05T14:30:20Z', '190.50', 200),
      tick('AAPL', '2025-03-05T14:30:05Z', '190.00', 100), // out of order: still the open
      tick('AAPL', '2025-03-05T14:30:40Z', '189.75', 50),
      tick('AAPL', '2025-03-05T14:31:10Z', '190.25', 300),
      tick('MSFT', '2025-03-05T14:30:30Z', '401.10', 1000),
    ]);
    // AAPL: 190.25 - 188.00 (previous day's close) = 2.25; 2.25 / 188 = 1.19680...%
    // MSFT: 401.10 - 404.00 = -2.90; -2.90 / 404 = -0.71782...%
    expect(first).toEqual([
      { symbol: 'AAPL', price: 190.25, previousClose: 188, change: 2.25, changePercent: 1.1968, volume: 650, timestamp: new Date('2025-03-05T14:31:10Z') },
      { symbol: 'MSFT', price: 401.1, previousClose: 404, change: -2.9, changePercent: -0.7178, volume: 1000, timestamp: new Date('2025-03-05T14:30:30Z') },
    ]);

    const second = await ingest.ingestTicks([tick('AAPL', '2025-03-05T14:31:50Z', '191.00', 25), tick('AAPL', '2025-03-05T14:32:00Z', '188.00', 5)]);
    expect(second).toEqual([{ symbol: 'AAPL', price: 188, previousClose: 188, change: 0, changePercent: 0, volume: 680, timestamp: new Date('2025-03-05T14:32:00Z') }]);

    const row = (ts: string, open: string, high: string, low: string, close: string, adjClose: string | null, volume: string) => ({
      ts: new Date(ts), open, high, low, close, adjClose, volume, source: 'simulated',
    });
    expect(await candles('AAPL', 'MINUTE')).toEqual([
      row('2025-03-05T14:30:00Z', '190.000000', '190.500000', '189.750000', '189.750000', null, '350'),
      row('2025-03-05T14:31:00Z', '190.250000', '191.000000', '190.250000', '191.000000', null, '325'),
      row('2025-03-05T14:32:00Z', '188.000000', '188.000000', '188.000000', '188.000000', null, '5'),
    ]);
    expect(await candles('AAPL', 'DAY')).toEqual([row('2025-03-05T00:00:00Z', '190.000000', '191.000000', '188.000000', '188.000000', '188.000000', '680')]);
    // Every tick so far fell in the 14:00 hour: one HOUR candle with the day's numbers and no adj_close.
    expect(await candles('AAPL', 'HOUR')).toEqual([row('2025-03-05T14:00:00Z', '190.000000', '191.000000', '188.000000', '188.000000', null, '680')]);
    // A tick in the next hour opens a new HOUR candle and changes only the DAY candle's close, high and volume.
    await ingest.ingestTicks([tick('AAPL', '2025-03-05T15:00:01Z', '192.00', 20)]);
    expect(await candles('AAPL', 'HOUR')).toEqual([
      row('2025-03-05T14:00:00Z', '190.000000', '191.000000', '188.000000', '188.000000', null, '680'),
      row('2025-03-05T15:00:00Z', '192.000000', '192.000000', '192.000000', '192.000000', null, '20'),
    ]);
    expect(await candles('AAPL', 'DAY')).toEqual([row('2025-03-05T00:00:00Z', '190.000000', '192.000000', '188.000000', '192.000000', '192.000000', '700')]);
    expect(await candles('MSFT', 'DAY')).toEqual([row('2025-03-05T00:00:00Z', '401.100000', '401.100000', '401.100000', '401.100000', '401.100000', '1000')]);
  });

  it('reports no change for a symbol without an earlier daily close', async () => {
    const [update] = await new IngestService(db.sql).ingestTicks([tick('NVDA', '2025-03-05T15:00:00Z', '120.5', 10)]);
    expect(update).toMatchObject({ symbol: 'NVDA', price: 120.5, previousClose: null, change: null, changePercent: null, volume: 10 });
  });

  it.each([10, 100])('sends the same few statements for a batch of %i symbols, three ticks each', async (count) => {
    const sql = countingExecutor(db.sql);
    const ingest = new IngestService(sql);
    const symbols = Array.from({ length: count }, (_, i) => `S${String(i).padStart(3, '0')}`);
    const day = count === 10 ? '2025-04-01' : '2025-04-02';
    const batch = (minute: number) =>
      symbols.flatMap((s, i) => ['00', '20', '40'].map((second) => tick(s, `${day}T14:${minute}:${second}Z`, `${100 + i}.${second}`, 10)));

    const updates = await ingest.ingestTicks(batch(30));
    expect(updates).toHaveLength(count);
    // The month's partitions once, the previous closes once a day, one upsert per interval.
    expect(kinds(sql.statements)).toEqual(['PARTITIONS', 'SELECT', 'INSERT MINUTE', 'INSERT HOUR', 'INSERT DAY']);

    sql.reset();
    await ingest.ingestTicks(batch(31));
    expect(kinds(sql.statements)).toEqual(['INSERT MINUTE', 'INSERT HOUR', 'INSERT DAY']);
    const [dayCandle] = await db.sql.query<{ volume: string }>(
      `SELECT volume::text FROM stock_price WHERE symbol = 'S000' AND interval = 'DAY' AND ts = $1`,
      [`${day}T00:00:00Z`],
    );
    expect(dayCandle!.volume).toBe('60');
  });

  it('creates the monthly partition before the first write into a new month', async () => {
    await new IngestService(db.sql).ingestTicks([tick('XOM', '2031-07-15T15:00:00Z', '110.25', 5)]);
    const rows = await db.sql.query<{ partition: string }>(
      `SELECT tableoid::regclass::text AS partition FROM stock_price WHERE symbol = 'XOM' AND ts >= '2031-07-01' ORDER BY interval`,
    );
    expect(rows.map((r) => r.partition)).toEqual(['stock_price_y2031m07', 'stock_price_y2031m07', 'stock_price_y2031m07']);
  });

  it('drops ticks it cannot store, says why, and stores the rest', async () => {
    const reasons: string[] = [];
    const updates = await new IngestService(db.sql, { onInvalidTick: (reason) => reasons.push(reason) }).ingestTicks([
      tick('XOM', '2025-03-06T15:00:00Z', 'abc', 1),
      tick('XOM', '2025-03-06T15:00:01Z', '-5', 1),
      tick('XOM', '2025-03-06T15:00:02Z', '111', -1),
      tick('xom', '2025-03-06T15:00:03Z', '111', 1),
      tick('XOM', '2025-03-06T15:00:04Z', '111.5', 7),
    ]);
    expect(reasons).toEqual(['XOM: invalid price "abc"', 'XOM: invalid price "-5"', 'XOM: invalid volume -1', 'invalid symbol "xom"']);
    expect(updates).toEqual([expect.objectContaining({ symbol: 'XOM', price: 111.5, volume: 7 })]);
    expect(await new IngestService(db.sql).ingestTicks([])).toEqual([]);
  });
});
