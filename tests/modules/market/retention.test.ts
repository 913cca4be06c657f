import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthsBefore, pruneCandles } from '../../../src/modules/market/retention.js';
import { openTestDatabase, type TestDatabase } from '../../support/databases.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase('stock');
  await db.sql.exec(`
    INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, volume) VALUES
      ('AAPL', 'MINUTE', '2025-03-14T20:59:00Z', 1, 1, 1, 1, 1),  -- older than 3 months: goes
      ('AAPL', 'MINUTE', '2025-03-15T12:00:00Z', 1, 1, 1, 1, 1),  -- exactly 3 months: stays
      ('AAPL', 'MINUTE', '2025-06-15T11:59:00Z', 1, 1, 1, 1, 1),
      ('AAPL', 'HOUR',   '2024-05-01T14:30:00Z', 1, 1, 1, 1, 1),  -- older than a year: goes
      ('AAPL', 'HOUR',   '2024-06-14T19:30:00Z', 1, 1, 1, 1, 1),  -- goes
      ('AAPL', 'HOUR',   '2024-07-01T14:30:00Z', 1, 1, 1, 1, 1),
      ('AAPL', 'DAY',    '2015-01-02T00:00:00Z', 1, 1, 1, 1, 1),  -- daily candles are kept forever
      ('MSFT', 'MINUTE', '2024-12-31T15:00:00Z', 1, 1, 1, 1, 1);  -- goes`);
});
afterAll(() => db?.close());

describe('pruneCandles', () => {
  it('deletes MINUTE candles older than 3 months and HOUR candles older than a year, keeping DAY', async () => {
    const now = new Date('2025-06-15T12:00:00Z');
    expect(await pruneCandles(db.sql, now)).toEqual({
      minute: 2,
      hour: 2,
      minuteCutoff: new Date('2025-03-15T12:00:00Z'),
      hourCutoff: new Date('2024-06-15T12:00:00Z'),
    });
    const left = await db.sql.query<{ symbol: string; interval: string; ts: Date }>('SELECT symbol, interval::text, ts FROM stock_price ORDER BY ts');
    expect(left.map((r) => `${r.symbol} ${r.interval} ${r.ts.toISOString()}`)).toEqual([
      'AAPL DAY 2015-01-02T00:00:00.000Z',
      'AAPL HOUR 2024-07-01T14:30:00.000Z',
      'AAPL MINUTE 2025-03-15T12:00:00.000Z',
      'AAPL MINUTE 2025-06-15T11:59:00.000Z',
    ]);
    expect(await pruneCandles(db.sql, now)).toMatchObject({ minute: 0, hour: 0 });
  });

  it('counts calendar months, clamping to the end of shorter months', () => {
    expect(monthsBefore(new Date('2025-05-31T08:00:00Z'), 3)).toEqual(new Date('2025-02-28T08:00:00Z'));
    expect(monthsBefore(new Date('2024-02-29T00:00:00Z'), 12)).toEqual(new Date('2023-02-28T00:00:00Z'));
    expect(monthsBefore(new Date('2025-01-15T00:00:00Z'), 3)).toEqual(new Date('2024-10-15T00:00:00Z'));
  });
});
