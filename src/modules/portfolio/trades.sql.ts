import type { Decimal } from 'decimal.js';
import type { UserClient } from '../../db/database.js';
import { dec } from './money.js';
import type { TradeRow } from './trade.service.js';

/**
 * The newest `limit` trades of each (portfolio, below this id) key in one
 * statement: a LATERAL index scan of (portfolio_id, id DESC) per key. `k` is
 * the key's 1-based position, to hand the rows back to their key.
 */
export async function readTradePages(
  db: UserClient,
  keys: readonly { portfolioId: string; before: string | null }[],
  limit: number,
): Promise<(TradeRow & { k: number })[]> {
  const rows = await db.$queryRaw<Record<string, any>[]>`
    SELECT k.ord::int AS k, t.id, t.stock_symbol, t.side::text AS side, t.quantity, t.exec_price, t.commission, t.currency,
           t.notional, t.notional_local, t.fx_rate, t.source::text AS source, t.executed_at
    FROM unnest(${keys.map((key) => key.portfolioId)}::uuid[], ${keys.map((key) => key.before)}::bigint[]) WITH ORDINALITY AS k(portfolio_id, before, ord)
    CROSS JOIN LATERAL (
      SELECT * FROM trade_execution_log x
      WHERE x.portfolio_id = k.portfolio_id AND (k.before IS NULL OR x.id < k.before)
      ORDER BY x.id DESC LIMIT ${limit}
    ) t
    ORDER BY k.ord, t.id DESC`;
  return rows.map((row) => ({
    k: Number(row.k),
    id: BigInt(row.id),
    stockSymbol: row.stock_symbol,
    side: row.side,
    quantity: row.quantity,
    execPrice: row.exec_price,
    commission: row.commission,
    currency: row.currency,
    notional: row.notional,
    notionalLocal: row.notional_local,
    fxRate: row.fx_rate,
    source: row.source,
    executedAt: row.executed_at,
  }));
}

/** One symbol's trades of one trade date in a portfolio, netted: buys add, sells subtract (local currency). */
export interface DayTrades {
  portfolioId: string;
  symbol: string;
  /** shares bought minus shares sold */
  netQuantity: Decimal;
  /** notional paid for buys minus notional received for sells, commissions excluded */
  netNotional: Decimal;
}

/** The trades of `tradeDate` (a New York date) of any number of portfolios, netted per symbol: one statement. */
export async function readDayTrades(db: UserClient, portfolioIds: readonly string[], tradeDate: Date): Promise<DayTrades[]> {
  const rows = await db.$queryRaw<{ portfolio_id: string; stock_symbol: string; net_quantity: unknown; net_notional: unknown }[]>`
    SELECT portfolio_id::text, stock_symbol,
           sum(CASE WHEN side = 'BUY' THEN quantity ELSE -quantity END) AS net_quantity,
           sum(CASE WHEN side = 'BUY' THEN notional_local ELSE -notional_local END) AS net_notional
    FROM trade_execution_log
    WHERE portfolio_id = ANY(${[...portfolioIds]}::uuid[]) AND trade_date = ${tradeDate}::date
      -- The same day as an executed_at range, so the (portfolio_id, executed_at) index bounds the scan.
      AND executed_at >= (${tradeDate}::date::timestamp AT TIME ZONE 'America/New_York')
      AND executed_at < ((${tradeDate}::date + 1)::timestamp AT TIME ZONE 'America/New_York')
    GROUP BY 1, 2`;
  return rows.map((row) => ({ portfolioId: row.portfolio_id, symbol: row.stock_symbol, netQuantity: dec(row.net_quantity as string), netNotional: dec(row.net_notional as string) }));
}
