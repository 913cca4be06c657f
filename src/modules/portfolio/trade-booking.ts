import type { Decimal } from 'decimal.js';
import type { TradeSource } from '../../generated/user/enums.js';
import { InsufficientPositionError } from '../../graphql/errors.js';
import { appendCash, latestCash, type LockedPortfolio, type Tx } from './ledger.js';
import { dec, newYorkDate, toCurrencyUnit } from './money.js';
import { applyTrade } from './position-math.js';
import type { TradeRow } from './trade.service.js';

export interface TradeToBook {
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: Decimal;
  price: Decimal;
  /** Commission in `currency`. */
  fee: Decimal;
  /** The listing's currency. */
  currency: string;
  /** Base-currency units per unit of `currency`. */
  fxRate: Decimal;
  executedAt: Date;
  source: TradeSource;
}

/** quantity × price in the listing currency, and in the base currency at fxRate, each rounded half up to its minor unit. */
export function tradeNotionals(trade: Pick<TradeToBook, 'quantity' | 'price' | 'currency' | 'fxRate'>, baseCurrency: string) {
  const notionalLocal = toCurrencyUnit(trade.quantity.mul(trade.price), trade.currency);
  return { notionalLocal, notional: toCurrencyUnit(notionalLocal.mul(trade.fxRate), baseCurrency) };
}

/**
 * The book rows of one execution: the trade log row (both notionals and the
 * rate), its TRADE cash row, a FEE row when there is a commission, and the
 * next position row. Call it inside a transaction that holds the portfolio's
 * row lock (lockPortfolios). Throws INSUFFICIENT_POSITION (selling more than
 * held without allowShort) or INSUFFICIENT_FUNDS (cash below zero); the caller
 * rolls back (recordTrade: the transaction; an import: the line's savepoint).
 */
export async function bookTrade(tx: Tx, portfolio: LockedPortfolio, trade: TradeToBook): Promise<TradeRow> {
  const { notionalLocal, notional } = tradeNotionals(trade, portfolio.baseCurrency);
  const tradeDate = newYorkDate(trade.executedAt);
  const previous = await tx.positionsBook.findFirst({ where: { portfolioId: portfolio.id, stockSymbol: trade.symbol }, orderBy: { id: 'desc' } });
  const held = previous
    ? {
        quantity: dec(previous.quantity),
        averageCost: dec(previous.averageCost),
        costBasis: dec(previous.costBasis),
        realizedPnl: dec(previous.realizedPnl),
        commissionPaid: dec(previous.commissionPaid),
      }
    : null;
  const next = applyTrade(held, { side: trade.side, quantity: trade.quantity, price: trade.price, notional: notionalLocal, commission: trade.fee });
  if (trade.side === 'SELL' && next.quantity.isNegative() && !portfolio.allowShort) {
    throw new InsufficientPositionError(
      `Insufficient position: the portfolio holds ${(held?.quantity ?? dec(0)).toFixed()} ${trade.symbol} and cannot sell ${trade.quantity.toFixed()} (short positions are not allowed)`,
    );
  }
  const row = await tx.tradeExecutionLog.create({
    data: {
      portfolioId: portfolio.id,
      source: trade.source,
      stockSymbol: trade.symbol,
      side: trade.side,
      quantity: trade.quantity.toFixed(),
      execPrice: trade.price.toFixed(),
      notional: notional.toFixed(),
      notionalLocal: notionalLocal.toFixed(),
      currency: trade.currency,
      fxRate: trade.fxRate.toDecimalPlaces(10).toFixed(),
      commission: trade.fee.toFixed(),
      executedAt: trade.executedAt,
      tradeDate,
    },
  });
  // The commission is its own FEE row (not folded into the TRADE row), so the cash activity shows it.
  let cash = await latestCash(tx, portfolio.id, trade.currency);
  const tradeDelta = trade.side === 'BUY' ? notionalLocal.negated() : notionalLocal;
  cash = await appendCash(tx, { portfolioId: portfolio.id, currency: trade.currency, delta: tradeDelta, reason: 'TRADE', tradeDate, tradeId: row.id }, cash);
  if (trade.fee.gt(0)) {
    await appendCash(tx, { portfolioId: portfolio.id, currency: trade.currency, delta: trade.fee.negated(), reason: 'FEE', tradeDate, tradeId: row.id }, cash);
  }
  await tx.positionsBook.create({
    data: {
      portfolioId: portfolio.id,
      stockSymbol: trade.symbol,
      quantity: next.quantity.toFixed(),
      averageCost: next.averageCost.toFixed(),
      costBasis: next.costBasis.toFixed(),
      currency: trade.currency,
      realizedPnl: next.realizedPnl.toFixed(),
      commissionPaid: next.commissionPaid.toFixed(),
      tradeId: row.id,
    },
  });
  return row;
}
