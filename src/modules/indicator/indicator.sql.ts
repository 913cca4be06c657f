// The raw statements of the indicator module, all through Prisma (so tests can
// count them). Array parameters are JS arrays of strings or nulls, which both
// drivers (adapter-pg, PGlite) send as PostgreSQL arrays.
import { Prisma } from '../../generated/stock/client.js';
import type { StockClient } from '../../db/database.js';
import type { IndicatorValues } from './engine/types.js';
import type { IndicatorRow } from './indicator.mapper.js';
import type { IndicatorSeriesArgs } from './indicator.validation.js';

/** Rows per upsert statement: 16 array parameters of this many elements each. */
export const UPSERT_CHUNK_ROWS = 5_000;

export interface DailyCandleRow {
  symbol: string;
  ts: Date;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * Every stored daily candle of the given symbols (or of every active stock),
 * in one statement, ordered by symbol then time. float8 is exact enough here
 * (numeric(18,6) -> float8 is correctly rounded) and spares a Decimal per value.
 */
export function dailyHistory(prisma: StockClient, symbols?: readonly string[]): Promise<DailyCandleRow[]> {
  const which = symbols
    ? Prisma.sql`p.symbol = ANY(${[...symbols]}::varchar[])`
    : Prisma.sql`p.symbol IN (SELECT s.symbol FROM stock s WHERE s.is_active)`;
  return prisma.$queryRaw<DailyCandleRow[]>`
    SELECT p.symbol, p.ts, p.high::float8 AS high, p.low::float8 AS low, p.close::float8 AS close, p.volume::float8 AS volume
    FROM stock_price p
    WHERE p.interval = 'DAY'::candle_interval AND ${which}
    ORDER BY p.symbol, p.ts`;
}

/**
 * The tail of every technical_indicator upsert (target alias `t`): a row whose
 * values did not change is left alone, computed_at included, so a repeated
 * recompute writes nothing.
 */
export const UPSERT_INDICATORS_ON_CONFLICT = `ON CONFLICT ("symbol", "interval", "ts") DO UPDATE SET
      sma20 = EXCLUDED.sma20, sma50 = EXCLUDED.sma50, sma200 = EXCLUDED.sma200, ema12 = EXCLUDED.ema12,
      ema26 = EXCLUDED.ema26, rsi14 = EXCLUDED.rsi14, macd = EXCLUDED.macd, macd_signal = EXCLUDED.macd_signal,
      macd_histogram = EXCLUDED.macd_histogram, bollinger_upper = EXCLUDED.bollinger_upper,
      bollinger_middle = EXCLUDED.bollinger_middle, bollinger_lower = EXCLUDED.bollinger_lower,
      atr14 = EXCLUDED.atr14, obv = EXCLUDED.obv, computed_at = CURRENT_TIMESTAMP
    WHERE (t.sma20, t.sma50, t.sma200, t.ema12, t.ema26, t.rsi14, t.macd, t.macd_signal, t.macd_histogram,
           t.bollinger_upper, t.bollinger_middle, t.bollinger_lower, t.atr14, t.obv)
      IS DISTINCT FROM
          (EXCLUDED.sma20, EXCLUDED.sma50, EXCLUDED.sma200, EXCLUDED.ema12, EXCLUDED.ema26, EXCLUDED.rsi14,
           EXCLUDED.macd, EXCLUDED.macd_signal, EXCLUDED.macd_histogram, EXCLUDED.bollinger_upper,
           EXCLUDED.bollinger_middle, EXCLUDED.bollinger_lower, EXCLUDED.atr14, EXCLUDED.obv)`;

const text = (value: number | null) => (value === null ? null : String(value));

/**
 * Upserts rounded values (see roundForStorage) for one chunk of rows. A row
 * whose values did not change is left alone, computed_at included, so a
 * repeated recompute writes nothing. Returns how many rows were written.
 */
export function upsertIndicators(prisma: StockClient, rows: readonly { symbol: string; values: IndicatorValues }[]): Promise<number> {
  const column = (pick: (v: IndicatorValues) => number | null) => rows.map((row) => text(pick(row.values)));
  return prisma.$executeRaw`
    INSERT INTO technical_indicator AS t ("symbol", "interval", "ts", "sma20", "sma50", "sma200", "ema12", "ema26", "rsi14",
      "macd", "macd_signal", "macd_histogram", "bollinger_upper", "bollinger_middle", "bollinger_lower", "atr14", "obv")
    SELECT u.symbol, 'DAY'::candle_interval, u.ts, u.sma20, u.sma50, u.sma200, u.ema12, u.ema26, u.rsi14,
      u.macd, u.macd_signal, u.macd_histogram, u.bollinger_upper, u.bollinger_middle, u.bollinger_lower, u.atr14, u.obv
    FROM unnest(
      ${rows.map((row) => row.symbol)}::varchar[], ${rows.map((row) => new Date(row.values.timestamp).toISOString())}::timestamptz[],
      ${column((v) => v.sma20)}::numeric[], ${column((v) => v.sma50)}::numeric[], ${column((v) => v.sma200)}::numeric[],
      ${column((v) => v.ema12)}::numeric[], ${column((v) => v.ema26)}::numeric[], ${column((v) => v.rsi14)}::numeric[],
      ${column((v) => v.macd)}::numeric[], ${column((v) => v.macdSignal)}::numeric[], ${column((v) => v.macdHistogram)}::numeric[],
      ${column((v) => v.bollingerUpper)}::numeric[], ${column((v) => v.bollingerMiddle)}::numeric[],
      ${column((v) => v.bollingerLower)}::numeric[], ${column((v) => v.atr14)}::numeric[], ${column((v) => v.obv)}::int8[]
    ) AS u(symbol, ts, sma20, sma50, sma200, ema12, ema26, rsi14, macd, macd_signal, macd_histogram,
           bollinger_upper, bollinger_middle, bollinger_lower, atr14, obv)
    ${Prisma.raw(UPSERT_INDICATORS_ON_CONFLICT)}`;
}

const INDICATOR_COLUMNS = Prisma.sql`t.ts, t.sma20, t.sma50, t.sma200, t.ema12, t.ema26, t.rsi14, t.macd, t.macd_signal,
  t.macd_histogram, t.bollinger_upper, t.bollinger_middle, t.bollinger_lower, t.atr14, t.obv`;

/**
 * The newest `limit` daily points of each symbol within [from, to], newest
 * first, in one statement: a backward scan of the primary key per symbol.
 */
export function latestIndicatorRows(
  prisma: StockClient,
  symbols: readonly string[],
  limit: number,
  range: Pick<IndicatorSeriesArgs, 'from' | 'to'> = {},
): Promise<IndicatorRow[]> {
  const conditions = [Prisma.sql`t.symbol = s.symbol`, Prisma.sql`t.interval = 'DAY'::candle_interval`];
  if (range.from) conditions.push(Prisma.sql`t.ts >= ${range.from}`);
  if (range.to) conditions.push(Prisma.sql`t.ts <= ${range.to}`);
  return prisma.$queryRaw<IndicatorRow[]>`
    SELECT s.symbol, t.*
    FROM unnest(${[...symbols]}::varchar[]) AS s(symbol)
    CROSS JOIN LATERAL (
      SELECT ${INDICATOR_COLUMNS} FROM technical_indicator t
      WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY t.ts DESC
      LIMIT ${limit}
    ) t`;
}

/** Candle rows of many symbols (ordered by symbol, then time) grouped per symbol, order kept. */
export function groupBySymbol(rows: readonly DailyCandleRow[]): Map<string, DailyCandleRow[]> {
  const groups = new Map<string, DailyCandleRow[]>();
  for (const row of rows) {
    let group = groups.get(row.symbol);
    if (!group) groups.set(row.symbol, (group = []));
    group.push(row);
  }
  return groups;
}
