// Statements of the indicator history: persisted IndicatorState rows and the
// candles to fold into them. Through Prisma, like indicator.sql.ts.
import { Prisma } from '../../generated/stock/client.js';
import type { StockClient } from '../../db/database.js';
import type { DailyCandleRow } from './indicator.sql.js';

export interface StateRow {
  symbol: string;
  /** The state as JSON text; null when the symbol has none yet. */
  state: string | null;
  as_of: Date | null;
  /** Daily candles stored at or before as_of: equal to the state's count unless candles were added or removed behind it. */
  stored_before: number | null;
}

/** Active symbols after `after` (or the given ones), by symbol, `limit` at a time, with their saved state. */
export function stateSlice(prisma: StockClient, options: { after: string | null; limit: number; symbols?: readonly string[] }): Promise<StateRow[]> {
  const conditions = [Prisma.sql`s.is_active`];
  if (options.after !== null) conditions.push(Prisma.sql`s.symbol > ${options.after}`);
  if (options.symbols) conditions.push(Prisma.sql`s.symbol = ANY(${[...options.symbols]}::varchar[])`);
  return prisma.$queryRaw<StateRow[]>`
    SELECT s.symbol, st.state::text AS state, st.as_of,
      CASE WHEN st.as_of IS NULL THEN NULL ELSE (
        SELECT count(*)::int FROM stock_price p WHERE p.symbol = s.symbol AND p.interval = 'DAY'::candle_interval AND p.ts <= st.as_of
      ) END AS stored_before
    FROM stock s
    LEFT JOIN indicator_state st ON st.symbol = s.symbol AND st.interval = 'DAY'::candle_interval
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY s.symbol
    LIMIT ${options.limit}`;
}

/** Daily candles of each symbol at or after its own start time, by symbol then time; one statement. */
export function candlesSince(prisma: StockClient, starts: readonly { symbol: string; from: Date }[]): Promise<DailyCandleRow[]> {
  if (starts.length === 0) return Promise.resolve([]);
  const earliest = new Date(Math.min(...starts.map((s) => s.from.getTime())));
  return prisma.$queryRaw<DailyCandleRow[]>`
    SELECT p.symbol, p.ts, p.high::float8 AS high, p.low::float8 AS low, p.close::float8 AS close, p.volume::float8 AS volume
    FROM unnest(${starts.map((s) => s.symbol)}::varchar[], ${starts.map((s) => s.from.toISOString())}::timestamptz[]) AS k(symbol, since)
    JOIN stock_price p ON p.symbol = k.symbol AND p.interval = 'DAY'::candle_interval AND p.ts >= k.since
    WHERE p.ts >= ${earliest}
    ORDER BY p.symbol, p.ts`;
}

/** Saves states; a row whose state did not change is left alone. */
export function saveStates(prisma: StockClient, rows: readonly { symbol: string; state: unknown; asOf: Date }[]): Promise<number> {
  if (rows.length === 0) return Promise.resolve(0);
  return prisma.$executeRaw`
    INSERT INTO indicator_state AS t ("symbol", "interval", "state", "as_of", "updated_at")
    SELECT u.symbol, 'DAY'::candle_interval, u.state::jsonb, u.as_of, CURRENT_TIMESTAMP
    FROM unnest(${rows.map((r) => r.symbol)}::varchar[], ${rows.map((r) => JSON.stringify(r.state))}::text[],
                ${rows.map((r) => r.asOf.toISOString())}::timestamptz[]) AS u(symbol, state, as_of)
    ON CONFLICT ("symbol", "interval") DO UPDATE SET state = EXCLUDED.state, as_of = EXCLUDED.as_of, updated_at = CURRENT_TIMESTAMP
    WHERE (t.state, t.as_of) IS DISTINCT FROM (EXCLUDED.state, EXCLUDED.as_of)`;
}
