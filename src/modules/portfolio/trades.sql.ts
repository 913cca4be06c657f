import type { UserClient } from '../../db/database.js';
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
