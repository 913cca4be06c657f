// Seeds the stock database: stocks, filter catalogue, predefined screeners,
// daily candles and the latest sessions' hourly and minute candles. Idempotent (every insert is ON CONFLICT DO NOTHING; candles
// into an empty stock_price go by COPY); all rows
// go in one transaction. Parameters are plain JS arrays of strings so the same
// SQL works on node-postgres and PGlite.

import { copyField } from '../copy-text.js';
import { ensureStockPricePartitions } from '../partitions.js';
import type { SqlExecutor } from '../sql-executor.js';
import {
  SEED_CATEGORICAL_FILTERS,
  SEED_NUMERIC_FILTERS,
  SEED_SCREENERS,
} from './catalogue.data.js';
import { emptyColumns, INTERVAL_LITERALS, pushCandle, SEED_INTERVALS, type CandleColumns, type SeedInterval } from './candle-columns.js';
import { appendIntradayBars, DEFAULT_INTRADAY_SESSIONS, type IntradaySeedSessions } from './intraday-seed.js';
import { dateOfDay, dayNumber, generateDailyCandles, isWeekdayNumber } from './price-path.js';
import { SEED_BLACKLIST, SEED_UNIVERSE, type SeedStock } from './stocks.data.js';

export interface SeedStockDbOptions {
  /** Subset of SEED_UNIVERSE symbols (stocks and FX pairs); default all. */
  readonly symbols?: readonly string[];
  /** Last candle day (UTC date); default the most recent weekday before today. */
  readonly endDate?: Date;
  /** Length of candle history ending at endDate; default 2. */
  readonly years?: number;
  /** Latest sessions that also get HOUR and MINUTE candles; default 20 and 1. */
  readonly intradaySessions?: IntradaySeedSessions;
}

export interface SeedStockDbResult {
  readonly stocks: number;
  /** DAY candles written */
  readonly candles: number;
  /** HOUR and MINUTE candles written */
  readonly intradayCandles: number;
  readonly filters: number;
  readonly screeners: number;
  readonly blacklisted: number;
}

/** Rows per candle INSERT; a whole symbol always goes into one statement. */
const CANDLE_ROWS_PER_STATEMENT = 5_000;

/** Most recent weekday strictly before `now`'s UTC date. */
export function defaultSeedEndDate(now: Date = new Date()): Date {
  let day = dayNumber(now) - 1;
  while (!isWeekdayNumber(day)) day--;
  return dateOfDay(day);
}

/** Inclusive UTC date range [endDate - years, endDate] (years rounded to whole months). */
export function seedDateRange(endDate: Date, years: number): { from: Date; to: Date } {
  if (!(years > 0)) throw new RangeError(`years must be positive, got ${years}`);
  const to = dateOfDay(dayNumber(endDate));
  const months = Math.max(1, Math.round(years * 12));
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - months, to.getUTCDate()));
  return { from, to };
}

function selectStocks(symbols: readonly string[] | undefined): SeedStock[] {
  if (!symbols) return [...SEED_UNIVERSE];
  const wanted = new Set(symbols);
  const unknown = [...wanted].filter((s) => !SEED_UNIVERSE.some((stock) => stock.symbol === s));
  if (unknown.length > 0) throw new Error(`Unknown seed symbols: ${unknown.join(', ')}`);
  return SEED_UNIVERSE.filter((stock) => wanted.has(stock.symbol));
}

function nullableText(value: number | null): string | null {
  return value === null ? null : String(value);
}

async function countInserted(tx: SqlExecutor, text: string, params: unknown[]): Promise<number> {
  const rows = await tx.query<{ inserted: number | string }>(text, params);
  return Number(rows[0]?.inserted ?? 0);
}

async function insertStocks(tx: SqlExecutor, stocks: readonly SeedStock[]): Promise<number> {
  if (stocks.length === 0) return 0;
  return countInserted(
    tx,
    `WITH ins AS (
       INSERT INTO "stock" ("symbol","name","sector","industry","exchange","market_cap","pe_ratio","dividend_yield",
                            "eps","beta","description","website","currency","country","asset_class")
       SELECT u.symbol, u.name, u.sector, u.industry, u.exchange, u.market_cap, u.pe_ratio, u.dividend_yield,
              u.eps, u.beta, u.description, u.website, u.currency, u.country, u.asset_class::asset_class
       FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[],
                   $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[],
                   $11::varchar[], $12::varchar[], $13::varchar[], $14::varchar[], $15::text[])
         AS u(symbol, name, sector, industry, exchange, market_cap, pe_ratio, dividend_yield, eps, beta, description,
              website, currency, country, asset_class)
       ON CONFLICT ("symbol") DO NOTHING
       RETURNING 1
     ) SELECT count(*)::int AS inserted FROM ins`,
    [
      stocks.map((s) => s.symbol),
      stocks.map((s) => s.name),
      stocks.map((s) => s.sector),
      stocks.map((s) => s.industry),
      stocks.map((s) => s.exchange),
      // An FX pair has no market cap or beta.
      stocks.map((s) => (s.assetClass === 'FX' ? null : Math.round(s.marketCap).toString())),
      stocks.map((s) => nullableText(s.peRatio)),
      stocks.map((s) => nullableText(s.dividendYield)),
      stocks.map((s) => nullableText(s.eps)),
      stocks.map((s) => (s.assetClass === 'FX' ? null : String(s.beta))),
      stocks.map((s) => s.description),
      stocks.map((s) => s.website),
      stocks.map((s) => s.currency ?? 'USD'),
      stocks.map((s) => s.country ?? 'US'),
      stocks.map((s) => s.assetClass ?? 'EQUITY'),
    ],
  );
}

/** The seed's blacklist entries for the stocks being seeded. */
async function insertBlacklist(tx: SqlExecutor, stocks: readonly SeedStock[]): Promise<number> {
  const seeded = new Set(stocks.map((s) => s.symbol));
  const entries = SEED_BLACKLIST.filter((entry) => seeded.has(entry.symbol));
  if (entries.length === 0) return 0;
  return countInserted(
    tx,
    `WITH ins AS (
       INSERT INTO "blacklist" ("symbol","reason")
       SELECT * FROM unnest($1::varchar[], $2::varchar[])
       ON CONFLICT ("symbol") DO NOTHING
       RETURNING 1
     ) SELECT count(*)::int AS inserted FROM ins`,
    [entries.map((e) => e.symbol), entries.map((e) => e.reason)],
  );
}

async function insertFilters(tx: SqlExecutor): Promise<number> {
  let inserted = await countInserted(
    tx,
    `WITH ins AS (
       INSERT INTO "numeric_filter" ("key","label","column_name","unit","min_value","max_value")
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::numeric[], $6::numeric[])
       ON CONFLICT ("key") DO NOTHING
       RETURNING 1
     ) SELECT count(*)::int AS inserted FROM ins`,
    [
      SEED_NUMERIC_FILTERS.map((f) => f.key),
      SEED_NUMERIC_FILTERS.map((f) => f.label),
      SEED_NUMERIC_FILTERS.map((f) => f.columnName),
      SEED_NUMERIC_FILTERS.map((f) => f.unit),
      SEED_NUMERIC_FILTERS.map((f) => f.minValue),
      SEED_NUMERIC_FILTERS.map((f) => f.maxValue),
    ],
  );
  // One row per statement: unnest would flatten the text[] options.
  for (const f of SEED_CATEGORICAL_FILTERS) {
    inserted += await countInserted(
      tx,
      `WITH ins AS (
         INSERT INTO "categorical_filter" ("key","label","column_name","options")
         VALUES ($1, $2, $3, $4::text[])
         ON CONFLICT ("key") DO NOTHING
         RETURNING 1
       ) SELECT count(*)::int AS inserted FROM ins`,
      [f.key, f.label, f.columnName, [...f.options]],
    );
  }
  return inserted;
}

async function insertScreeners(tx: SqlExecutor): Promise<number> {
  let inserted = 0;
  for (const s of SEED_SCREENERS) {
    inserted += await countInserted(
      tx,
      `WITH ins AS (
         INSERT INTO "screener" ("key","name","description","criteria")
         VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT ("key") DO NOTHING
         RETURNING 1
       ) SELECT count(*)::int AS inserted FROM ins`,
      [s.key, s.name, s.description, JSON.stringify(s.criteria)],
    );
  }
  return inserted;
}

async function insertCandleChunk(tx: SqlExecutor, interval: SeedInterval, c: CandleColumns): Promise<number> {
  if (c.symbol.length === 0) return 0;
  // interval and source are constants in the SELECT: PGlite cannot serialise
  // a JS array into an enum array parameter.
  return countInserted(
    tx,
    `WITH ins AS (
       INSERT INTO "stock_price" ("symbol","interval","ts","open","high","low","close","adj_close","volume","source")
       SELECT u.symbol, ${INTERVAL_LITERALS[interval]}, u.ts, u.open, u.high, u.low, u.close, u.adj_close, u.volume, 'seed'
       FROM unnest($1::varchar[], $2::timestamptz[], $3::numeric[], $4::numeric[], $5::numeric[],
                   $6::numeric[], $7::numeric[], $8::int8[])
         AS u(symbol, ts, open, high, low, close, adj_close, volume)
       ON CONFLICT DO NOTHING
       RETURNING 1
     ) SELECT count(*)::int AS inserted FROM ins`,
    [c.symbol, c.ts, c.open, c.high, c.low, c.close, c.adjClose, c.volume],
  );
}

const COPY_COLUMNS = ['symbol', 'interval', 'ts', 'open', 'high', 'low', 'close', 'adj_close', 'volume', 'source'] as const;

/** A chunk into an empty stock_price: COPY, no conflict to check (the seed's rows are unique by construction). */
async function copyCandleChunk(tx: SqlExecutor, interval: SeedInterval, c: CandleColumns): Promise<number> {
  if (c.symbol.length === 0) return 0;
  let text = '';
  for (let i = 0; i < c.symbol.length; i++) {
    // Symbols are [A-Z0-9.=^-] and the numbers are digits: nothing to escape but a missing adj_close.
    text += `${copyField(c.symbol[i]!)}\t${interval}\t${c.ts[i]}\t${c.open[i]}\t${c.high[i]}\t${c.low[i]}\t${c.close[i]}\t${c.adjClose[i] ?? '\\N'}\t${c.volume[i]}\tseed\n`;
  }
  await tx.copyFrom('stock_price', COPY_COLUMNS, text);
  return c.symbol.length;
}

async function insertCandles(
  tx: SqlExecutor,
  stocks: readonly SeedStock[],
  from: Date,
  to: Date,
  sessions: IntradaySeedSessions,
): Promise<{ daily: number; intraday: number }> {
  // The first seed of a fresh database (every first start) loads candles with COPY; a later run on
  // existing rows keeps the idempotent INSERT ... ON CONFLICT DO NOTHING.
  const [row] = await tx.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM stock_price) AS empty');
  const write = row?.empty ? copyCandleChunk : insertCandleChunk;
  const inserted: Record<SeedInterval, number> = { DAY: 0, HOUR: 0, MINUTE: 0 };
  const chunks: Record<SeedInterval, CandleColumns> = { DAY: emptyColumns(), HOUR: emptyColumns(), MINUTE: emptyColumns() };
  const flush = async (interval: SeedInterval) => {
    inserted[interval] += await write(tx, interval, chunks[interval]);
    chunks[interval] = emptyColumns();
  };
  for (const stock of stocks) {
    const days = generateDailyCandles(stock, from, to);
    for (const candle of days) pushCandle(chunks.DAY, stock.symbol, { ...candle, volume: candle.volume.toString() });
    appendIntradayBars(chunks.HOUR, stock.symbol, days, 'HOUR', sessions.hour);
    appendIntradayBars(chunks.MINUTE, stock.symbol, days, 'MINUTE', sessions.minute);
    for (const interval of SEED_INTERVALS) if (chunks[interval].symbol.length >= CANDLE_ROWS_PER_STATEMENT) await flush(interval);
  }
  for (const interval of SEED_INTERVALS) await flush(interval);
  return { daily: inserted.DAY, intraday: inserted.HOUR + inserted.MINUTE };
}

export async function seedStockDb(
  sql: SqlExecutor,
  options: SeedStockDbOptions = {},
): Promise<SeedStockDbResult> {
  const stocks = selectStocks(options.symbols);
  const { from, to } = seedDateRange(options.endDate ?? defaultSeedEndDate(), options.years ?? 2);

  if (stocks.length > 0) {
    // Its own short transaction, as the migration's function asks: creating a
    // partition locks stock_price and its default partition, and holding those
    // locks for the whole seed would stall every reader. Empty partitions left
    // behind by a failed seed are harmless.
    await sql.transaction((tx) => ensureStockPricePartitions(tx, from, to));
  }

  return sql.transaction(async (tx) => {
    const stockCount = await insertStocks(tx, stocks);
    const blacklisted = await insertBlacklist(tx, stocks);
    const filters = await insertFilters(tx);
    const screeners = await insertScreeners(tx);
    const candles = await insertCandles(tx, stocks, from, to, options.intradaySessions ?? DEFAULT_INTRADAY_SESSIONS);
    return { stocks: stockCount, candles: candles.daily, intradayCandles: candles.intraday, filters, screeners, blacklisted };
  });
}
