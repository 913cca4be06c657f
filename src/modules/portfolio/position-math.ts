import { Decimal } from 'decimal.js';
import { ZERO } from './money.js';

export interface PositionFigures {
  quantity: Decimal;
  averageCost: Decimal;
  /** Signed: what the shares held cost (negative for a short: the proceeds received). */
  costBasis: Decimal;
  realizedPnl: Decimal;
  commissionPaid: Decimal;
}

export type NextPosition = PositionFigures;

/**
 * The position after one execution of `quantity` shares at `price` for
 * `notional` (quantity × price rounded to the currency's minor unit: the
 * amount the cash book moves). The cost basis follows the cash exactly, so
 *   cash + costBasis + commissionPaid - realizedPnl = net deposits
 * holds after every trade. Average cost is the volume-weighted fill price of
 * the shares held (from the exact prices, not the rounded notionals, so 0.1
 * share at 190 averages 190), commissions excluded (they are FEE cash rows). Reducing a position removes cost in proportion to
 * the shares closed and realises the difference; a trade that crosses zero
 * closes the old side and opens the new one at the trade's price.
 */
export function applyTrade(
  previous: PositionFigures | null,
  trade: { side: 'BUY' | 'SELL'; quantity: Decimal; price: Decimal; notional: Decimal; commission: Decimal },
): NextPosition {
  const { side, quantity, notional, commission } = trade;
  const held = previous ?? { quantity: ZERO, averageCost: ZERO, costBasis: ZERO, realizedPnl: ZERO, commissionPaid: ZERO };
  const signedQuantity = side === 'BUY' ? quantity : quantity.negated();
  const signedValue = side === 'BUY' ? notional : notional.negated();
  const nextQuantity = held.quantity.plus(signedQuantity);
  let costBasis: Decimal;
  let averageCost: Decimal;
  let realizedPnl = held.realizedPnl;
  if (held.quantity.isZero() || held.quantity.isNegative() === signedQuantity.isNegative()) {
    costBasis = held.costBasis.plus(signedValue);
    averageCost = held.averageCost.mul(held.quantity.abs()).plus(trade.price.mul(quantity)).div(nextQuantity.abs()).toDecimalPlaces(6);
  } else {
    const heldAbs = held.quantity.abs();
    const closed = Decimal.min(quantity, heldAbs);
    const removedCost = closed.eq(heldAbs) ? held.costBasis : held.costBasis.mul(closed).div(heldAbs).toDecimalPlaces(6);
    const closingValue = closed.eq(quantity) ? signedValue : signedValue.mul(closed).div(quantity).toDecimalPlaces(6);
    realizedPnl = realizedPnl.minus(closingValue).minus(removedCost);
    costBasis = held.costBasis.minus(removedCost).plus(signedValue.minus(closingValue));
    // Closing keeps the average of what is left; crossing zero opens the new side at this price.
    averageCost = nextQuantity.isZero() ? ZERO : quantity.gt(heldAbs) ? trade.price : held.averageCost;
  }
  return { quantity: nextQuantity, costBasis, averageCost, realizedPnl, commissionPaid: held.commissionPaid.plus(commission) };
}
