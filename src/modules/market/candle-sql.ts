// The bulk statements of ingestion, each one statement for many rows via
// unnest (the seed's pattern). Parameters are plain arrays of strings so the
// same SQL runs on node-postgres and PGlite; the interval goes in as a literal
// (PGlite cannot serialise arrays of an enum, and it comes from a closed set).

import { copyField } from '../../db/copy-text.js';
import type { SqlExecutor } from '../../db/sql-executor.js';
import { CANDLE_COPY_COLUMNS } from '../../providers/csv-copy-reader.js';
import type { CandleIntervalName, HistoryCandle } from '../../providers/market-data-provider.js';
import type { CandleBucket } from './tick-aggregation.js';

const INTERVALS: readonly CandleIntervalName[] = ['MINUTE', 'HOUR', 'DAY'];

export function intervalLiteral(interval: CandleIntervalName): string {
  if (!INTERVALS.includes(interval)) throw new RangeError(`unknown candle interval ${String(interval)}`);
  return `'${interval}'::candle_interval`;
}

/**
 * Folds tick buckets into their candles in ONE statement: a new candle takes
 * the bucket as it is; an existing one keeps its open, widens high/low, takes
 * the new close and adds the volume. DAY candles carry adj_close = close.
 * Returns each touched candle's cumulative volume.
 */
export async function upsertTickBuckets(
  sql: SqlExecutor,
  interval: CandleIntervalName,
  buckets: readonly CandleBucket[],
  source: string,
): Promise<{ symbol: string; ts: Date; volume: string }[]> {
  if (buckets.length === 0) return [];
  const adjusted = interval === 'DAY';
  const rows = await sql.query<{ symbol: string; ts: Date | string; volume: string }>(
    `INSERT INTO "stock_price" AS p ("symbol","interval","ts","open","high","low","close","adj_close","volume","source")
     SELECT u.symbol, ${intervalLiteral(interval)}, u.ts, u.open, u.high, u.low, u.close, ${adjusted ? 'u.close' : 'NULL'}, u.volume, $1
     FROM unnest($2::varchar[], $3::timestamptz[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], $8::int8[])
       AS u(symbol, ts, open, high, low, close, volume)
     ON CONFLICT ("symbol","interval","ts") DO UPDATE SET
       "high" = GREATEST(p."high", EXCLUDED."high"),
       "low" = LEAST(p."low", EXCLUDED."low"),
       "close" = EXCLUDED."close",
       ${adjusted ? '"adj_close" = EXCLUDED."adj_close",' : ''}
       "volume" = p."volume" + EXCLUDED."volume",
       "source" = EXCLUDED."source"
     RETURNING p."symbol", p."ts", p."volume"::text AS volume`,
    [
      source,
      buckets.map((b) => b.symbol),
      buckets.map((b) => b.ts.toISOString()),
      buckets.map((b) => b.open.toString()),
      buckets.map((b) => b.high.toString()),
      buckets.map((b) => b.low.toString()),
      buckets.map((b) => b.close.toString()),
      buckets.map((b) => b.volume.toString()),
    ],
  );
  return rows.map((r) => ({ symbol: r.symbol, ts: new Date(r.ts), volume: String(r.volume) }));
}

export interface CandleInsertRow {
  symbol: string;
  candle: HistoryCandle;
}

/**
 * Inserts rows that are not stored yet (ON CONFLICT DO NOTHING) in one
 * statement; returns, per symbol that got any, how many and the earliest new one.
 */
export async function insertCandlesIfAbsent(
  sql: SqlExecutor,
  interval: CandleIntervalName,
  rows: readonly CandleInsertRow[],
  source: string,
): Promise<{ symbol: string; first: Date; n: number }[]> {
  if (rows.length === 0) return [];
  const result = await sql.query<{ symbol: string; first: Date | string; n: number | string }>(
    `WITH ins AS (
       INSERT INTO "stock_price" ("symbol","interval","ts","open","high","low","close","adj_close","volume","source")
       SELECT u.symbol, ${intervalLiteral(interval)}, u.ts, u.open, u.high, u.low, u.close, u.adj_close, u.volume, $1
       FROM unnest($2::varchar[], $3::timestamptz[], $4::numeric[], $5::numeric[], $6::numeric[],
                   $7::numeric[], $8::numeric[], $9::int8[])
         AS u(symbol, ts, open, high, low, close, adj_close, volume)
       ON CONFLICT DO NOTHING
       RETURNING symbol, ts
     ) SELECT symbol, min(ts) AS first, count(*)::int AS n FROM ins GROUP BY symbol`,
    [
      source,
      rows.map((r) => r.symbol),
      rows.map((r) => r.candle.ts.toISOString()),
      rows.map((r) => r.candle.open),
      rows.map((r) => r.candle.high),
      rows.map((r) => r.candle.low),
      rows.map((r) => r.candle.close),
      rows.map((r) => r.candle.adjClose),
      rows.map((r) => r.candle.volume),
    ],
  );
  return result.map((r) => ({ symbol: r.symbol, first: new Date(r.first), n: Number(r.n) }));
}

/**
 * The rows in COPY text format, in CANDLE_COPY_COLUMNS order (the layout the CSV reader writes).
 * Prices and volumes reach here checked as digits (candleProblem or the CSV parser): only the symbol is escaped.
 */
function stagingText(rows: readonly CandleInsertRow[], interval: CandleIntervalName, source: string): string {
  const tail = `\t${interval}\t${copyField(source)}\n`;
  // Daily rows repeat each time once per symbol: write each once.
  const times = new Map<number, string>();
  let text = '';
  for (const { symbol, candle: c } of rows) {
    const ms = c.ts.getTime();
    let ts = times.get(ms);
    if (ts === undefined) times.set(ms, (ts = c.ts.toISOString()));
    text += `${copyField(symbol)}\t${ts}\t${c.open}\t${c.high}\t${c.low}\t${c.close}\t${c.adjClose ?? '\\N'}\t${c.volume}${tail}`;
  }
  return text;
}

type NewPerSymbol = { symbol: string; first: Date; n: number }[];

/**
 * insertCandlesIfAbsent at COPY speed, for big chunks: in one transaction the
 * rows are COPYed into a temporary staging table, then ONE INSERT … SELECT …
 * ON CONFLICT DO NOTHING moves what is not stored yet. Same result.
 */
export async function copyCandlesIfAbsent(
  sql: SqlExecutor,
  interval: CandleIntervalName,
  rows: readonly CandleInsertRow[],
  source: string,
): Promise<NewPerSymbol> {
  if (rows.length === 0) return [];
  return copyTextIfAbsent(sql, interval, CANDLE_COPY_COLUMNS, stagingText(rows, interval, source));
}

/**
 * copyCandlesIfAbsent of rows already in COPY text, in stock_price's `columns` (symbol, ts, prices,
 * volume, interval and source; adj_close may be left out). A ts without a zone is read as UTC.
 */
export async function copyTextIfAbsent(
  sql: SqlExecutor,
  interval: CandleIntervalName,
  columns: readonly string[],
  text: string | Uint8Array,
): Promise<NewPerSymbol> {
  const result = await sql.transaction(async (tx) => {
    await tx.exec(
      `CREATE TEMP TABLE backfill_staging (symbol varchar, ts timestamptz, open numeric, high numeric, low numeric,
         close numeric, adj_close numeric, volume int8, interval candle_interval, source varchar) ON COMMIT DROP;
       SET LOCAL TIME ZONE 'UTC'`,
    );
    await tx.copyFrom('backfill_staging', columns, text);
    return tx.query<{ symbol: string; first: Date | string; n: number | string }>(
      `WITH ins AS (
         INSERT INTO "stock_price" ("symbol","interval","ts","open","high","low","close","adj_close","volume","source")
         SELECT s.symbol, ${intervalLiteral(interval)}, s.ts, s.open, s.high, s.low, s.close, s.adj_close, s.volume, s.source
         FROM backfill_staging s
         ON CONFLICT DO NOTHING
         RETURNING symbol, ts
       ) SELECT symbol, min(ts) AS first, count(*)::int AS n FROM ins GROUP BY symbol`,
    );
  });
  return result.map((r) => ({ symbol: r.symbol, first: new Date(r.first), n: Number(r.n) }));
}

/**
 * COPYs rows none of which is stored yet straight into stock_price (what a
 * first backfill of a file meets); returns false, having written nothing,
 * when one is stored after all (a tick may have written it since it was
 * checked): the caller then takes copyCandlesIfAbsent.
 */
export async function copyFreshCandles(
  sql: SqlExecutor,
  interval: CandleIntervalName,
  rows: readonly CandleInsertRow[],
  source: string,
): Promise<boolean> {
  intervalLiteral(interval);
  return copyFreshText(sql, CANDLE_COPY_COLUMNS, stagingText(rows, interval, source));
}

/** copyFreshCandles of rows already in COPY text, in stock_price's `columns` (as copyTextIfAbsent). */
export async function copyFreshText(sql: SqlExecutor, columns: readonly string[], text: string | Uint8Array): Promise<boolean> {
  try {
    await sql.transaction(async (tx) => {
      // A CSV row's ts is a bare date: UTC midnight.
      await tx.exec(`SET LOCAL TIME ZONE 'UTC'`);
      await tx.copyFrom('stock_price', columns, text);
    });
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === '23505') return false;
    throw error;
  }
}

/**
 * For each (symbol, day): the close of the symbol's latest DAY candle before
 * that day, or null when there is none. One statement for all pairs.
 */
export async function previousDayCloses(
  sql: SqlExecutor,
  pairs: readonly { symbol: string; day: Date }[],
): Promise<(string | null)[]> {
  if (pairs.length === 0) return [];
  const rows = await sql.query<{ i: number | string; close: string | null }>(
    `SELECT k.i, p.close::text AS close
     FROM unnest($1::varchar[], $2::timestamptz[]) WITH ORDINALITY AS k(symbol, day, i)
     LEFT JOIN LATERAL (
       SELECT close FROM "stock_price"
       WHERE symbol = k.symbol AND interval = 'DAY'::candle_interval AND ts < k.day
       ORDER BY ts DESC LIMIT 1
     ) p ON true`,
    [pairs.map((p) => p.symbol), pairs.map((p) => p.day.toISOString())],
  );
  const closes: (string | null)[] = new Array(pairs.length).fill(null);
  for (const row of rows) closes[Number(row.i) - 1] = row.close;
  return closes;
}

/** Symbols of `symbols` listed in the stock table (any order). */
export async function knownSymbols(sql: SqlExecutor, symbols?: readonly string[]): Promise<Set<string>> {
  const rows = symbols
    ? await sql.query<{ symbol: string }>('SELECT symbol FROM "stock" WHERE symbol = ANY($1::varchar[])', [[...symbols]])
    : await sql.query<{ symbol: string }>('SELECT symbol FROM "stock"');
  return new Set(rows.map((r) => r.symbol));
}
