// Statements of the indicator history, on the raw SqlExecutor rather than
// Prisma: they move thousands of rows per slice, and Prisma's parameter and
// result handling on the main thread is what held the event loop (measured in
// bench/indicator-lag.ts). Array parameters are arrays of strings, which both
// drivers send as PostgreSQL arrays.
import type { SqlExecutor } from '../../db/sql-executor.js';
import type { IndicatorValues } from './engine/types.js';
import { UPSERT_INDICATORS_ON_CONFLICT, type DailyCandleRow } from './indicator.sql.js';

export interface StateRow {
  symbol: string;
  /** The state as JSON text; null when the symbol has none yet. */
  state: string | null;
  as_of: Date | null;
  /** Daily candles stored at or before as_of: equal to the state's count unless candles were added or removed behind it. */
  stored_before: number | null;
}

/** Active symbols after `after` (or the given ones), by symbol, `limit` at a time, with their saved state. */
export function stateSlice(sql: SqlExecutor, options: { after: string | null; limit: number; symbols?: readonly string[] }): Promise<StateRow[]> {
  return sql.query<StateRow>(
    `SELECT s.symbol, st.state::text AS state, st.as_of,
       CASE WHEN st.as_of IS NULL THEN NULL ELSE (
         SELECT count(*)::int FROM stock_price p WHERE p.symbol = s.symbol AND p.interval = 'DAY'::candle_interval AND p.ts <= st.as_of
       ) END AS stored_before
     FROM stock s
     LEFT JOIN indicator_state st ON st.symbol = s.symbol AND st.interval = 'DAY'::candle_interval
     WHERE s.is_active AND ($1::varchar IS NULL OR s.symbol > $1::varchar) AND ($2::varchar[] IS NULL OR s.symbol = ANY($2::varchar[]))
     ORDER BY s.symbol
     LIMIT $3::int`,
    [options.after, options.symbols ? [...options.symbols] : null, options.limit],
  );
}

const CANDLE_COLUMNS = `p.symbol, p.ts, p.high::float8 AS high, p.low::float8 AS low, p.close::float8 AS close, p.volume::float8 AS volume`;

/** Every daily candle of the given symbols, by symbol then time. */
export function dailyCandles(sql: SqlExecutor, symbols: readonly string[]): Promise<DailyCandleRow[]> {
  return sql.query<DailyCandleRow>(
    `SELECT ${CANDLE_COLUMNS} FROM stock_price p
     WHERE p.interval = 'DAY'::candle_interval AND p.symbol = ANY($1::varchar[])
     ORDER BY p.symbol, p.ts`,
    [[...symbols]],
  );
}

/** Daily candles of each symbol at or after its own start time, by symbol then time; one statement. */
export function candlesSince(sql: SqlExecutor, starts: readonly { symbol: string; from: Date }[]): Promise<DailyCandleRow[]> {
  if (starts.length === 0) return Promise.resolve([]);
  const earliest = new Date(Math.min(...starts.map((s) => s.from.getTime())));
  return sql.query<DailyCandleRow>(
    `SELECT ${CANDLE_COLUMNS}
     FROM unnest($1::varchar[], $2::timestamptz[]) AS k(symbol, since)
     JOIN stock_price p ON p.symbol = k.symbol AND p.interval = 'DAY'::candle_interval AND p.ts >= k.since
     WHERE p.ts >= $3::timestamptz
     ORDER BY p.symbol, p.ts`,
    [starts.map((s) => s.symbol), starts.map((s) => s.from.toISOString()), earliest.toISOString()],
  );
}

const text = (value: number | null) => (value === null ? null : String(value));

/** The same upsert as indicator.sql.ts's upsertIndicators: unchanged rows are left alone, computed_at included. */
export async function upsertPoints(sql: SqlExecutor, rows: readonly { symbol: string; values: IndicatorValues }[]): Promise<void> {
  if (rows.length === 0) return;
  const column = (pick: (v: IndicatorValues) => number | null) => rows.map((row) => text(pick(row.values)));
  await sql.query(
    `INSERT INTO technical_indicator AS t ("symbol", "interval", "ts", "sma20", "sma50", "sma200", "ema12", "ema26", "rsi14",
       "macd", "macd_signal", "macd_histogram", "bollinger_upper", "bollinger_middle", "bollinger_lower", "atr14", "obv")
     SELECT u.symbol, 'DAY'::candle_interval, u.ts, u.sma20, u.sma50, u.sma200, u.ema12, u.ema26, u.rsi14,
       u.macd, u.macd_signal, u.macd_histogram, u.bollinger_upper, u.bollinger_middle, u.bollinger_lower, u.atr14, u.obv
     FROM unnest($1::varchar[], $2::timestamptz[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[],
                 $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::numeric[], $13::numeric[], $14::numeric[],
                 $15::numeric[], $16::int8[])
       AS u(symbol, ts, sma20, sma50, sma200, ema12, ema26, rsi14, macd, macd_signal, macd_histogram,
            bollinger_upper, bollinger_middle, bollinger_lower, atr14, obv)
     ${UPSERT_INDICATORS_ON_CONFLICT}`,
    [
      rows.map((row) => row.symbol),
      rows.map((row) => new Date(row.values.timestamp).toISOString()),
      column((v) => v.sma20), column((v) => v.sma50), column((v) => v.sma200), column((v) => v.ema12), column((v) => v.ema26),
      column((v) => v.rsi14), column((v) => v.macd), column((v) => v.macdSignal), column((v) => v.macdHistogram),
      column((v) => v.bollingerUpper), column((v) => v.bollingerMiddle), column((v) => v.bollingerLower), column((v) => v.atr14),
      column((v) => v.obv),
    ],
  );
}

/** Saves states; a row whose state did not change is left alone. */
export async function saveStates(sql: SqlExecutor, rows: readonly { symbol: string; state: unknown; asOf: Date }[]): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `INSERT INTO indicator_state AS t ("symbol", "interval", "state", "as_of", "updated_at")
     SELECT u.symbol, 'DAY'::candle_interval, u.state::jsonb, u.as_of, CURRENT_TIMESTAMP
     FROM unnest($1::varchar[], $2::text[], $3::timestamptz[]) AS u(symbol, state, as_of)
     ON CONFLICT ("symbol", "interval") DO UPDATE SET state = EXCLUDED.state, as_of = EXCLUDED.as_of, updated_at = CURRENT_TIMESTAMP
     WHERE (t.state, t.as_of) IS DISTINCT FROM (EXCLUDED.state, EXCLUDED.as_of)`,
    [rows.map((r) => r.symbol), rows.map((r) => JSON.stringify(r.state)), rows.map((r) => r.asOf.toISOString())],
  );
}
