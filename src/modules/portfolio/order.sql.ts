import type { Decimal } from 'decimal.js';
import { Prisma } from '../../generated/user/client.js';
import type { UserClient } from '../../db/database.js';
import { InsufficientFundsError } from '../../graphql/errors.js';
import type { Tx } from './ledger.js';
import { dec } from './money.js';

type Num = { toString(): string };

/** An orders row as Prisma returns it (raw queries alias their columns to the same names). */
export interface OrderRow {
  id: string;
  portfolioId: string;
  clientOrderId: string | null;
  stockSymbol: string;
  side: 'BUY' | 'SELL';
  type: 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
  quantity: Num;
  filledQuantity: Num;
  limitPrice: Num | null;
  stopPrice: Num | null;
  timeInForce: 'DAY' | 'GTC' | 'IOC' | 'FOK';
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';
  rejectReason: string | null;
  currency: string;
  reservedAmount: Num;
  averageFillPrice: Num | null;
  arrivalPrice: Num | null;
  stopTriggeredAt: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const ORDER_COLUMNS = Prisma.sql`o.id::text AS id, o.portfolio_id::text AS "portfolioId", o.client_order_id AS "clientOrderId",
  o.stock_symbol AS "stockSymbol", o.side::text AS side, o.type::text AS type, o.quantity, o.filled_quantity AS "filledQuantity",
  o.limit_price AS "limitPrice", o.stop_price AS "stopPrice", o.time_in_force::text AS "timeInForce", o.status::text AS status,
  o.reject_reason AS "rejectReason", o.currency, o.reserved_amount AS "reservedAmount", o.average_fill_price AS "averageFillPrice",
  o.arrival_price AS "arrivalPrice", o.stop_triggered_at AS "stopTriggeredAt", o.expires_at AS "expiresAt",
  o.created_at AS "createdAt", o.updated_at AS "updatedAt"`;

export const OPEN_STATUSES = ['NEW', 'PARTIALLY_FILLED'] as const;

export interface OrderPageKey {
  portfolioId: string;
  /** Orders strictly older than this (createdAt, id), newest first. */
  before: { createdAt: Date; id: string } | null;
}

/** The newest `limit` orders of each key (optionally of one status) in one statement. `k` hands rows back to their key. */
export async function readOrderPages(db: UserClient, keys: readonly OrderPageKey[], limit: number, status: string | null): Promise<(OrderRow & { k: number })[]> {
  const rows = await db.$queryRaw<(OrderRow & { k: number })[]>`
    SELECT k.ord::int AS k, p.* FROM unnest(
      ${keys.map((key) => key.portfolioId)}::uuid[],
      ${keys.map((key) => key.before?.createdAt.toISOString() ?? null)}::timestamptz[],
      ${keys.map((key) => key.before?.id ?? null)}::uuid[]
    ) WITH ORDINALITY AS k(portfolio_id, before_ts, before_id, ord)
    CROSS JOIN LATERAL (
      SELECT ${ORDER_COLUMNS} FROM orders o
      WHERE o.portfolio_id = k.portfolio_id
        AND (${status}::text IS NULL OR o.status = ${status}::order_status)
        AND (k.before_ts IS NULL OR (o.created_at, o.id) < (k.before_ts, k.before_id))
      ORDER BY o.created_at DESC, o.id DESC LIMIT ${limit}
    ) p
    ORDER BY k.ord, p."createdAt" DESC, p.id DESC`;
  return rows.map((row) => ({ ...row, k: Number(row.k) }));
}

export async function readOrder(db: UserClient | Tx, id: string): Promise<OrderRow | null> {
  const rows = await db.$queryRaw<OrderRow[]>`SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = ${id}::uuid`;
  return rows[0] ?? null;
}

export type OpenOrderRow = OrderRow & { accountId: string; baseCurrency: string; commissionSoFar: Num };

/** Open orders of these symbols, oldest first (acceptance order is fill priority), with the portfolio's owner. */
export async function readOpenOrders(db: UserClient, symbols: readonly string[]): Promise<OpenOrderRow[]> {
  if (symbols.length === 0) return [];
  return db.$queryRaw`
    SELECT ${ORDER_COLUMNS}, p.account_id::text AS "accountId", trim(p.base_currency) AS "baseCurrency",
      (SELECT coalesce(sum(f.commission), 0) FROM fills f WHERE f.order_id = o.id) AS "commissionSoFar"
    FROM orders o JOIN portfolio p ON p.id = o.portfolio_id
    WHERE o.stock_symbol = ANY(${[...symbols]}::varchar[]) AND o.status IN ('NEW', 'PARTIALLY_FILLED')
    ORDER BY o.created_at, o.id`;
}

/**
 * Refuses to take `amount` out of `balance` when open buy orders hold part of it: a withdrawal or transfer must not
 * spend the cash an accepted order was promised (it would be REJECTED when it fills). Call under the portfolio lock.
 */
export async function assertUnreserved(tx: Tx, portfolioId: string, currency: string, balance: Decimal, amount: Decimal): Promise<void> {
  const reserved = dec(await reservedCash(tx, portfolioId, currency));
  if (reserved.isZero() || balance.minus(reserved).gte(amount)) return;
  throw new InsufficientFundsError(
    `Insufficient funds: ${currency} cash is ${balance.toFixed()}, of which ${reserved.toFixed()} is reserved by open buy orders; this needs ${amount.toFixed()}`,
  );
}

/** Cash held by the portfolio's open buy orders in one currency (read under the portfolio lock). */
export async function reservedCash(tx: Tx, portfolioId: string, currency: string, exceptOrderId: string | null = null): Promise<Num> {
  const rows = await tx.$queryRaw<{ reserved: Num }[]>`
    SELECT coalesce(sum(reserved_amount), 0) AS reserved FROM orders
    WHERE portfolio_id = ${portfolioId}::uuid AND currency = ${currency} AND status IN ('NEW', 'PARTIALLY_FILLED')
      AND (${exceptOrderId}::uuid IS NULL OR id <> ${exceptOrderId}::uuid)`;
  return rows[0]!.reserved;
}

/** Shares of a symbol that open sell orders of the portfolio still want to sell. */
export async function openSellQuantity(tx: Tx, portfolioId: string, symbol: string): Promise<Num> {
  const rows = await tx.$queryRaw<{ quantity: Num }[]>`
    SELECT coalesce(sum(quantity - filled_quantity), 0) AS quantity FROM orders
    WHERE portfolio_id = ${portfolioId}::uuid AND stock_symbol = ${symbol} AND side = 'SELL' AND status IN ('NEW', 'PARTIALLY_FILLED')`;
  return rows[0]!.quantity;
}

export interface FillRow {
  orderId: string;
  quantity: Num;
  price: Num;
  commission: Num;
  slippageBps: Num;
  executedAt: Date;
}

export async function readFills(db: UserClient, orderIds: readonly string[]): Promise<FillRow[]> {
  return db.fill.findMany({
    where: { orderId: { in: [...orderIds] } },
    orderBy: { id: 'asc' },
    select: { orderId: true, quantity: true, price: true, commission: true, slippageBps: true, executedAt: true },
  });
}
