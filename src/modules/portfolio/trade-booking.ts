import type { Decimal } from 'decimal.js';
import type { TradeSource } from '../../generated/user/enums.js';
import { InsufficientFundsError, InsufficientPositionError } from '../../graphql/errors.js';
import { appendCash, latestCash, type LockedPortfolio, type Tx } from './ledger.js';
import { dec, newYorkDate, toCurrencyUnit } from './money.js';
import { applyTrade, type PositionFigures } from './position-math.js';
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
 * held without allowShort) or INSUFFICIENT_FUNDS (cash below zero) before it
 * writes anything, so a refused trade leaves no row even inside a longer
 * transaction (an import carries on with its next line).
 */
export async function bookTrade(tx: Tx, portfolio: LockedPortfolio, trade: TradeToBook, known?: KnownBooks): Promise<TradeRow> {
  const { notionalLocal, notional } = tradeNotionals(trade, portfolio.baseCurrency);
  const tradeDate = newYorkDate(trade.executedAt);
  const held = known?.positions.has(trade.symbol) ? known.positions.get(trade.symbol)! : await latestPosition(tx, portfolio.id, trade.symbol);
  const next = applyTrade(held, { side: trade.side, quantity: trade.quantity, price: trade.price, notional: notionalLocal, commission: trade.fee });
  if (trade.side === 'SELL' && next.quantity.isNegative() && !portfolio.allowShort) {
    throw new InsufficientPositionError(
      `Insufficient position: the portfolio holds ${(held?.quantity ?? dec(0)).toFixed()} ${trade.symbol} and cannot sell ${trade.quantity.toFixed()} (short positions are not allowed)`,
    );
  }
  // Cash is checked before the first write (appendCash checks again), so a refused trade writes nothing at all.
  const cashBefore = known?.cash.get(trade.currency) ?? (await latestCash(tx, portfolio.id, trade.currency));
  const tradeDelta = trade.side === 'BUY' ? notionalLocal.negated() : notionalLocal;
  assertCovers(cashBefore, tradeDelta, trade.currency);
  assertCovers(cashBefore.plus(tradeDelta), trade.fee.negated(), trade.currency);
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
  let cash = await appendCash(tx, { portfolioId: portfolio.id, currency: trade.currency, delta: tradeDelta, reason: 'TRADE', tradeDate, tradeId: row.id }, cashBefore);
  if (trade.fee.gt(0)) {
    cash = await appendCash(tx, { portfolioId: portfolio.id, currency: trade.currency, delta: trade.fee.negated(), reason: 'FEE', tradeDate, tradeId: row.id }, cash);
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
  known?.cash.set(trade.currency, cash);
  known?.positions.set(trade.symbol, next);
  return row;
}

/**
 * What a caller booking many lines in one transaction already knows (an
 * import, under the lock, so nobody else writes these books meanwhile):
 * bookTrade reads a balance or position from here when present, from the
 * books otherwise, and leaves its results here.
 */
export interface KnownBooks {
  cash: Map<string, Decimal>;
  positions: Map<string, PositionFigures | null>;
}

async function latestPosition(tx: Tx, portfolioId: string, symbol: string): Promise<PositionFigures | null> {
  const previous = await tx.positionsBook.findFirst({ where: { portfolioId, stockSymbol: symbol }, orderBy: { id: 'desc' } });
  return previous
    ? {
        quantity: dec(previous.quantity),
        averageCost: dec(previous.averageCost),
        costBasis: dec(previous.costBasis),
        realizedPnl: dec(previous.realizedPnl),
        commissionPaid: dec(previous.commissionPaid),
      }
    : null;
}

/** The same rule and message as appendCash, checked before anything is written. */
function assertCovers(balanceBefore: Decimal, delta: Decimal, currency: string): void {
  if (balanceBefore.plus(delta).isNegative()) {
    throw new InsufficientFundsError(`Insufficient funds: ${currency} cash is ${balanceBefore.toFixed()} and this needs ${delta.negated().toFixed()}`);
  }
}
