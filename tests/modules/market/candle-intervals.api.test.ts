import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';

// Daily candles of WK, stamped at UTC midnight of their trading date, across the end of US daylight
// saving time (2026-11-01): open, high, low, close, adj_close, volume.
const DAYS: [string, number, number, number, number, number, number][] = [
  ['2026-10-29', 10, 12, 9, 11, 11, 100],
  ['2026-10-30', 11, 13, 10, 12, 12, 200],
  ['2026-11-02', 12, 15, 11, 14, 14, 300],
  ['2026-11-03', 14, 14.5, 8, 9, 9, 400],
  ['2026-11-06', 9, 10, 7.5, 9.5, 9.4, 500],
  ['2026-11-09', 9.5, 11, 9, 10.5, 10.5, 600],
];

const FIXTURE = `
  INSERT INTO stock (symbol, name, sector, industry, exchange) VALUES
    ('WK', 'Weekly Co', 'Technology', 'Software', 'NYSE'), ('LONG', 'Long Co', 'Energy', 'Oil', 'NYSE');
  INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, adj_close, volume, source) VALUES
  ${DAYS.map(([d, o, h, l, c, a, v]) => `('WK', 'DAY', '${d}T00:00:00Z', ${o}, ${h}, ${l}, ${c}, ${a}, ${v}, 'test')`).join(',\n  ')};
  -- One candle every Monday for 21 years: 1,096 weeks.
  INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, adj_close, volume, source)
  SELECT 'LONG', 'DAY', d, 50, 51, 49, 50.5, 50.5, 1000, 'test'
  FROM generate_series('2005-01-03T00:00:00Z'::timestamptz, '2025-12-29T00:00:00Z'::timestamptz, interval '7 days') AS d;
`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(FIXTURE) });
});
afterAll(() => t?.close());

const FIELDS = 'timestamp open high low close adjClose volume';
const candle = (timestamp: string, open: number, high: number, low: number, close: number, adjClose: number, volume: number) => ({
  timestamp, open, high, low, close, adjClose, volume,
});

async function candles(args: string, symbol = 'WK') {
  const { data, errors } = await t.graphql(`{ stock(symbol: "${symbol}") { candles(${args}) { ${FIELDS} } } }`);
  expect(errors).toBeUndefined();
  return data!.stock.candles as ReturnType<typeof candle>[];
}

describe('WEEK and MONTH candles', () => {
  it('aggregate the daily candles of each Monday-start week, stamped at the week start in New York', async () => {
    // By hand: first open, highest high, lowest low, last close and adj_close, summed volume.
    expect(await candles('interval: WEEK')).toEqual([
      candle('2026-10-26T04:00:00.000Z', 10, 13, 9, 12, 12, 300), // Monday 00:00 EDT
      candle('2026-11-02T05:00:00.000Z', 12, 15, 7.5, 9.5, 9.4, 1200), // Monday 00:00 EST
      candle('2026-11-09T05:00:00.000Z', 9.5, 11, 9, 10.5, 10.5, 600),
    ]);
  });

  it('aggregate the daily candles of each calendar month', async () => {
    expect(await candles('interval: MONTH')).toEqual([
      candle('2026-10-01T04:00:00.000Z', 10, 13, 9, 12, 12, 300),
      candle('2026-11-01T04:00:00.000Z', 12, 15, 7.5, 10.5, 10.5, 1800),
    ]);
  });

  it('give the latest `last` periods, oldest first', async () => {
    expect((await candles('interval: WEEK, last: 2')).map((c) => c.timestamp)).toEqual(['2026-11-02T05:00:00.000Z', '2026-11-09T05:00:00.000Z']);
  });

  it('take the whole periods that start within [from, to]', async () => {
    expect(await candles('interval: WEEK, from: "2026-11-02", to: "2026-11-08"')).toEqual([
      candle('2026-11-02T05:00:00.000Z', 12, 15, 7.5, 9.5, 9.4, 1200),
    ]);
  });

  it('cap a 20-year range at 1000 weeks, the newest', async () => {
    const weeks = await candles('interval: WEEK, from: "2005-01-01", to: "2026-01-01"', 'LONG');
    expect(weeks).toHaveLength(1000);
    expect(weeks.at(-1)!.timestamp).toBe('2025-12-29T05:00:00.000Z');
    expect(weeks[0]!.volume).toBe(1000);
  });
});

describe('candles arguments', () => {
  it('take a date alone as the start of that day in UTC', async () => {
    expect((await candles('interval: DAY, from: "2026-11-03", to: "2026-11-06"')).map((c) => c.timestamp)).toEqual([
      '2026-11-03T00:00:00.000Z',
      '2026-11-06T00:00:00.000Z',
    ]);
    // A full date-time still works as before.
    expect((await candles('interval: DAY, from: "2026-11-03T00:00:01Z"')).map((c) => c.timestamp)[0]).toBe('2026-11-06T00:00:00.000Z');
  });

  it('take a date alone in a variable too', async () => {
    const { data } = await t.graphql(`query($from: DateOrDateTime) { stock(symbol: "WK") { candles(from: $from) { timestamp } } }`, { from: '2026-11-09' });
    expect(data!.stock.candles).toEqual([{ timestamp: '2026-11-09T00:00:00.000Z' }]);
  });

  it('reject "from" after "to" and a date that does not exist with BAD_USER_INPUT', async () => {
    const reversed = await t.graphql(`{ stock(symbol: "WK") { candles(interval: WEEK, from: "2026-11-09", to: "2026-11-02") { timestamp } } }`);
    expect(reversed.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const impossible = await t.graphql(`query($from: DateOrDateTime) { stock(symbol: "WK") { candles(from: $from) { timestamp } } }`, { from: '2026-02-30' });
    expect(impossible.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('give an empty list for an interval with no candles', async () => {
    expect(await candles('interval: HOUR')).toEqual([]);
    expect(await candles('interval: MINUTE, from: "2026-11-02"')).toEqual([]);
  });
});
