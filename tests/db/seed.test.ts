import { describe, expect, it } from 'vitest';
import { SEED_CATEGORICAL_FILTERS, SEED_NUMERIC_FILTERS, SEED_SCREENERS } from '../../src/db/seed/catalogue.data.js';
import { generateDailyCandles, tradingDays } from '../../src/db/seed/price-path.js';
import { defaultSeedEndDate, seedDateRange, seedStockDb } from '../../src/db/seed/seed-stock-db.js';
import { SEED_UNIVERSE } from '../../src/db/seed/stocks.data.js';
import type { SqlExecutor } from '../../src/db/sql-executor.js';
import { openTestDatabase } from '../support/databases.js';

const SYMBOLS = ['AAPL', 'BRK.B', 'XOM'] as const;
const utc = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));
// Fixed dates keep the test independent of today; the range spans the price anchor (2026-01-02).
const END = utc(2026, 3, 13);
const LATER_END = utc(2026, 4, 3);
const FILTER_COUNT = SEED_NUMERIC_FILTERS.length + SEED_CATEGORICAL_FILTERS.length;
/** Bars a default seed adds per symbol: 7 hourly bars (the last is 30 minutes) on each of the last 20 sessions, 390 minute bars on the last. */
const INTRADAY_PER_SYMBOL = 20 * 7 + 390;

async function withDatabase(fn: (sql: SqlExecutor) => Promise<void>): Promise<void> {
  const db = await openTestDatabase('stock');
  try {
    await fn(db.sql);
  } finally {
    await db.close();
  }
}

async function count(sql: SqlExecutor, text: string): Promise<number> {
  const [row] = await sql.query<{ n: number | string }>(text);
  return Number(row!.n);
}

/** A digest of every seeded row, timestamps included, to prove nothing changed. */
async function snapshot(sql: SqlExecutor): Promise<Record<string, string>> {
  const tables: Record<string, string> = {
    stock: '"symbol"',
    stock_price: '"symbol", "interval", "ts"',
    numeric_filter: '"key"',
    categorical_filter: '"key"',
    screener: '"key"',
  };
  const out: Record<string, string> = {};
  for (const [table, order] of Object.entries(tables)) {
    const [row] = await sql.query<{ digest: string }>(
      `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY ${order}), '')) AS digest FROM "${table}" t`,
    );
    out[table] = row!.digest;
  }
  return out;
}

interface CandleRow {
  symbol: string;
  day: string;
  interval: string;
  open: string;
  high: string;
  low: string;
  close: string;
  adj_close: string;
  volume: string;
  source: string;
}

async function storedCandles(sql: SqlExecutor): Promise<CandleRow[]> {
  return sql.query<CandleRow>(
    `SELECT "symbol", to_char("ts" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, "interval"::text AS interval,
            round("open", 4)::text AS open, round("high", 4)::text AS high, round("low", 4)::text AS low,
            round("close", 4)::text AS close, round("adj_close", 4)::text AS adj_close,
            "volume"::text AS volume, "source"
     FROM "stock_price" WHERE "interval" = 'DAY' ORDER BY "symbol", "ts"`,
  );
}

function expectedCandles(symbols: readonly string[], from: Date, to: Date): CandleRow[] {
  return [...symbols].sort().flatMap((symbol) =>
    generateDailyCandles(SEED_UNIVERSE.find((s) => s.symbol === symbol)!, from, to).map((c) => ({
      symbol,
      day: c.ts.toISOString().slice(0, 10),
      interval: 'DAY',
      open: c.open,
      high: c.high,
      low: c.low,
      close: c.close,
      adj_close: c.adjClose,
      volume: c.volume.toString(),
      source: 'seed',
    })),
  );
}

describe('seedStockDb', () => {
  it('seeds three symbols for one year with the expected rows, all in monthly partitions', async () => {
    await withDatabase(async (sql) => {
      const { from, to } = seedDateRange(END, 1);
      const days = tradingDays(from, to).length;
      expect(days).toBeGreaterThan(255);

      const result = await seedStockDb(sql, { symbols: SYMBOLS, endDate: END, years: 1 });

      expect(result).toEqual({
        stocks: 3,
        candles: 3 * days,
        intradayCandles: 3 * INTRADAY_PER_SYMBOL,
        filters: FILTER_COUNT,
        screeners: SEED_SCREENERS.length,
        blacklisted: 0,
      });
      expect(await count(sql, 'SELECT count(*) AS n FROM "stock"')).toBe(3);
      expect(await count(sql, 'SELECT count(*) AS n FROM "stock_price"')).toBe(3 * days + 3 * INTRADAY_PER_SYMBOL);
      expect(await count(sql, 'SELECT count(*) AS n FROM "stock_price_default"')).toBe(0);
      expect(await storedCandles(sql)).toEqual(expectedCandles(SYMBOLS, from, to));

      const [apple] = await sql.query<Record<string, string | number | null>>(
        `SELECT "name", "sector", "exchange", "market_cap"::text AS market_cap, "dividend_yield"::text AS dividend_yield,
                "pe_ratio"::text AS pe_ratio, "eps"::text AS eps, "beta"::text AS beta, "website"
         FROM "stock" WHERE "symbol" = 'AAPL'`,
      );
      expect(apple).toEqual({
        name: 'Apple Inc.',
        sector: 'Technology',
        exchange: 'NASDAQ',
        market_cap: '4000000000000.00',
        dividend_yield: '0.003900',
        pe_ratio: '36.3000',
        eps: '7.4700', // 271 / 36.3, so price, P/E and EPS agree
        beta: '1.1000',
        website: 'https://www.apple.com',
      });
      const [berkshire] = await sql.query<{ dividend_yield: string | null }>(
        `SELECT "dividend_yield"::text AS dividend_yield FROM "stock" WHERE "symbol" = 'BRK.B'`,
      );
      expect(berkshire!.dividend_yield).toBeNull();

      const [sector] = await sql.query<{ column_name: string; options: string[] }>(
        `SELECT "column_name", "options" FROM "categorical_filter" WHERE "key" = 'sector'`,
      );
      expect(sector!.options).toEqual(SEED_CATEGORICAL_FILTERS.find((f) => f.key === 'sector')!.options);
      const [megaCaps] = await sql.query<{ criteria: unknown }>(`SELECT "criteria" FROM "screener" WHERE "key" = 'mega_caps'`);
      expect(megaCaps!.criteria).toEqual({ numeric: [{ filterKey: 'market_cap', min: 200_000_000_000 }], categorical: [] });
    });
  });

  it('inserts nothing and changes no row when run a second time', async () => {
    await withDatabase(async (sql) => {
      await seedStockDb(sql, { symbols: SYMBOLS, endDate: END, years: 1 });
      const before = await snapshot(sql);

      const again = await seedStockDb(sql, { symbols: SYMBOLS, endDate: END, years: 1 });

      expect(again).toEqual({ stocks: 0, candles: 0, intradayCandles: 0, filters: 0, screeners: 0, blacklisted: 0 });
      expect(await snapshot(sql)).toEqual(before);
    });
  });

  it('adds only the new days, identical to a fresh generation, when the end date moves forward', async () => {
    await withDatabase(async (sql) => {
      await seedStockDb(sql, { symbols: SYMBOLS, endDate: END, years: 1 });
      const newDays = tradingDays(utc(2026, 3, 14), LATER_END).length;
      expect(newDays).toBe(15);

      const later = await seedStockDb(sql, { symbols: SYMBOLS, endDate: LATER_END, years: 1 });

      // Hourly bars for the 15 new sessions (the other 5 of the last 20 are stored), minute bars for the new last one.
      expect(later).toEqual({ stocks: 0, candles: 3 * newDays, intradayCandles: 3 * (newDays * 7 + 390), filters: 0, screeners: 0, blacklisted: 0 });
      // Days that fell out of the later window stay; nothing is deleted.
      expect(await storedCandles(sql)).toEqual(expectedCandles(SYMBOLS, seedDateRange(END, 1).from, LATER_END));
    });
  });

  it('gives the latest sessions hourly and minute bars that add up to their daily candle', async () => {
    await withDatabase(async (sql) => {
      await seedStockDb(sql, { symbols: ['AAPL'], endDate: END, years: 1 });
      const perDay = await sql.query<{ day: string; interval: string; bars: number; open: string; close: string; high: string; low: string; volume: string; first: string; last: string }>(
        `SELECT to_char(ts AT TIME ZONE 'America/New_York', 'YYYY-MM-DD') AS day, interval::text AS interval, count(*)::int AS bars,
                round((array_agg(open ORDER BY ts))[1], 4)::text AS open, round((array_agg(close ORDER BY ts DESC))[1], 4)::text AS close,
                round(max(high), 4)::text AS high, round(min(low), 4)::text AS low, sum(volume)::text AS volume,
                to_char(min(ts) AT TIME ZONE 'America/New_York', 'HH24:MI') AS first, to_char(max(ts) AT TIME ZONE 'America/New_York', 'HH24:MI') AS last
         FROM stock_price WHERE interval IN ('HOUR', 'MINUTE') GROUP BY 1, 2 ORDER BY 2, 1`,
      );
      const daily = new Map(generateDailyCandles(SEED_UNIVERSE.find((s) => s.symbol === 'AAPL')!, seedDateRange(END, 1).from, END).map((d) => [d.ts.toISOString().slice(0, 10), d]));
      const hours = perDay.filter((r) => r.interval === 'HOUR');
      const minutes = perDay.filter((r) => r.interval === 'MINUTE');
      expect(hours.map((r) => r.day)).toEqual([...daily.keys()].slice(-20));
      expect(minutes.map((r) => r.day)).toEqual([END.toISOString().slice(0, 10)]);
      for (const row of perDay) {
        const day = daily.get(row.day)!;
        expect(row.bars).toBe(row.interval === 'HOUR' ? 7 : 390);
        expect([row.first, row.last]).toEqual(row.interval === 'HOUR' ? ['09:30', '15:30'] : ['09:30', '15:59']);
        // The session opens at the day's open, closes at its close, stays inside its range and trades its volume.
        expect([row.open, row.close, row.volume]).toEqual([day.open, day.close, day.volume.toString()]);
        expect(Number(row.high)).toBeLessThanOrEqual(Number(day.high));
        expect(Number(row.low)).toBeGreaterThanOrEqual(Number(day.low));
      }
    });
  });

  it('leaves nothing behind when an insert fails part-way', async () => {
    await withDatabase(async (sql) => {
      const failing: SqlExecutor = {
        ...sql,
        kind: sql.kind,
        transaction: (fn) =>
          sql.transaction((tx) =>
            fn({
              ...tx,
              kind: tx.kind,
              query: (text, params) =>
                text.includes('INSERT INTO "stock_price"')
                  ? Promise.reject(new Error('simulated failure'))
                  : tx.query(text, params),
              // A first seed loads candles with COPY.
              copyFrom: (table, columns, text) => (table === 'stock_price' ? Promise.reject(new Error('simulated failure')) : tx.copyFrom(table, columns, text)),
            }),
          ),
      };

      await expect(seedStockDb(failing, { symbols: SYMBOLS, endDate: END, years: 1 })).rejects.toThrow('simulated failure');

      for (const table of ['stock', 'stock_price', 'numeric_filter', 'categorical_filter', 'screener', 'blacklist']) {
        expect(await count(sql, `SELECT count(*) AS n FROM "${table}"`), table).toBe(0);
      }
    });
  });

  it('blacklists the documented symbols (MO, PM) with a reason, once', async () => {
    await withDatabase(async (sql) => {
      const first = await seedStockDb(sql, { symbols: ['AAPL', 'MO', 'PM'], endDate: END, years: 0.1 });
      expect(first.blacklisted).toBe(2);
      const rows = await sql.query<{ symbol: string; reason: string }>(`SELECT "symbol", "reason" FROM "blacklist" ORDER BY "symbol"`);
      expect(rows.map((r) => r.symbol)).toEqual(['MO', 'PM']);
      for (const row of rows) expect(row.reason).toMatch(/tobacco/);
      expect((await seedStockDb(sql, { symbols: ['AAPL', 'MO', 'PM'], endDate: END, years: 0.1 })).blacklisted).toBe(0);
    });
  });

  it('rejects symbols that are not in the seed universe before touching the database', async () => {
    const untouchable: SqlExecutor = {
      kind: 'pg',
      query: () => Promise.reject(new Error('queried')),
      exec: () => Promise.reject(new Error('executed')),
      transaction: () => Promise.reject(new Error('transaction opened')),
      copyFrom: () => Promise.reject(new Error('copied')),
      close: () => Promise.resolve(),
    };
    await expect(seedStockDb(untouchable, { symbols: ['AAPL', 'NOPE'] })).rejects.toThrow(/Unknown seed symbols: NOPE/);
  });
});

describe('seed date defaults', () => {
  it('end on the most recent weekday strictly before today', () => {
    expect(defaultSeedEndDate(utc(2026, 11, 23))).toEqual(utc(2026, 11, 20)); // Monday -> Friday
    expect(defaultSeedEndDate(new Date(Date.UTC(2026, 10, 21, 23, 59)))).toEqual(utc(2026, 11, 20)); // Saturday
    expect(defaultSeedEndDate(utc(2026, 11, 19))).toEqual(utc(2026, 11, 18));
  });

  it('span whole years back from the end date, both ends included', () => {
    expect(seedDateRange(utc(2026, 11, 20), 2)).toEqual({ from: utc(2024, 11, 20), to: utc(2026, 11, 20) });
    expect(() => seedDateRange(END, 0)).toThrow(RangeError);
  });
  it('seeds the listings abroad, the ETF and the FX pairs with their asset class, currency and country, deterministically', async () => {
    await withDatabase(async (sql) => {
      const symbols = ['ASML', 'SHEL', 'SPY', 'EURUSD', 'GBPUSD'];
      const { from, to } = seedDateRange(END, 1);
      const result = await seedStockDb(sql, { symbols, endDate: END, years: 1 });
      expect(result.stocks).toBe(5);
      const rows = await sql.query<Record<string, string | null>>(
        `SELECT "symbol", "exchange", "currency", "country", "asset_class"::text AS asset_class, "market_cap"::text AS market_cap,
                "beta"::text AS beta FROM "stock" ORDER BY "symbol"`,
      );
      expect(rows).toEqual([
        { symbol: 'ASML', exchange: 'EURONEXT', currency: 'EUR', country: 'NL', asset_class: 'EQUITY', market_cap: '355000000000.00', beta: '1.3000' },
        { symbol: 'EURUSD', exchange: 'FX', currency: 'USD', country: 'XX', asset_class: 'FX', market_cap: null, beta: null },
        { symbol: 'GBPUSD', exchange: 'FX', currency: 'USD', country: 'XX', asset_class: 'FX', market_cap: null, beta: null },
        { symbol: 'SHEL', exchange: 'LSE', currency: 'GBP', country: 'GB', asset_class: 'EQUITY', market_cap: '158000000000.00', beta: '0.5000' },
        { symbol: 'SPY', exchange: 'NYSEARCA', currency: 'USD', country: 'US', asset_class: 'ETF', market_cap: '680000000000.00', beta: '1.0000' },
      ]);
      expect(await storedCandles(sql)).toEqual(expectedCandles(symbols, from, to));
      // The pair stays near its anchor (1.172 on 2026-01-02) over the year: a plausible EURUSD.
      const closes = (await storedCandles(sql)).filter((c) => c.symbol === 'EURUSD').map((c) => Number(c.close));
      expect(Math.min(...closes)).toBeGreaterThan(0.95);
      expect(Math.max(...closes)).toBeLessThan(1.4);
    });
  });
});
