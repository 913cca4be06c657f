import { Decimal } from 'decimal.js';

/** How many shares a BUY signal orders. A SELL signal always sells the whole position held (nothing held: no order). */
export type Sizing = { mode: 'FIXED_QUANTITY'; quantity: number } | { mode: 'PERCENT_OF_CASH'; percent: number };

/**
 * FIXED_QUANTITY: that many shares. PERCENT_OF_CASH: whole shares worth `percent` of the
 * cash at the signal's close plus the market-order margin, so the reservation fits
 * (commission aside). Zero means no order.
 */
export function buyQuantity(sizing: Sizing, cash: Decimal, close: Decimal, marketMargin: number): Decimal {
  if (sizing.mode === 'FIXED_QUANTITY') return new Decimal(String(sizing.quantity));
  if (close.lte(0) || cash.lte(0)) return new Decimal(0);
  const perShare = close.mul(new Decimal(1).plus(String(marketMargin)));
  return cash.mul(String(sizing.percent)).div(100).div(perShare).floor();
}
