// The matching engine's decisions, pure: given an open order, one tick of its
// symbol and what is left of that tick's liquidity, what happens? The DB writer
// (order-fill.service.ts) applies a decision in one transaction.
//
// Model (README "Paper orders"):
// - A tick triggers an order when it is later than the order's acceptance and:
//   MARKET always; LIMIT when it crosses (buy: price <= limit, sell: price >= limit);
//   STOP when it touches the stop (buy: price >= stop, sell: price <= stop), then
//   it is a market order; STOP_LIMIT when the stop is touched, then it is a limit order.
// - Liquidity: a tick can give paper orders `tickParticipation` of its volume
//   (the shares traded since the previous tick), shared by the orders of that symbol
//   in acceptance order. A larger order fills partially over several ticks.
// - Slippage (bps, always against the order) = base + impact × sqrt(quantity / ADV),
//   at most max, where ADV is the symbol's 20-session average volume (max when unknown).
//   A limit order never executes beyond its limit: the slipped price is capped there.
// - Commission: per share or bps of the notional, at least `minimum` per order
//   (charged on the first fills until the minimum is reached).
// - IOC: only the first tick after acceptance counts; what it cannot fill is canceled.
//   FOK: the first tick fills the whole order or the order is canceled.

import { Decimal } from 'decimal.js';
import type { OrderConfig } from '../../config.js';
import { toCurrencyUnit, ZERO } from './money.js';

export type Side = 'BUY' | 'SELL';
export type OrderKind = 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
export type Tif = 'DAY' | 'GTC' | 'IOC' | 'FOK';

export interface MatchableOrder {
  side: Side;
  type: OrderKind;
  timeInForce: Tif;
  quantity: Decimal;
  filledQuantity: Decimal;
  limitPrice: Decimal | null;
  stopPrice: Decimal | null;
  stopTriggered: boolean;
  /** Commission charged by earlier fills (the per-order minimum counts them). */
  commissionSoFar: Decimal;
  currency: string;
  createdAt: Date;
}

export interface MatchTick {
  price: Decimal;
  /** Shares traded since the previous tick of the symbol. */
  volume: Decimal;
  timestamp: Date;
}

export type MatchDecision =
  | { kind: 'none'; stopTriggered: boolean }
  | { kind: 'cancel'; reason: string; stopTriggered: boolean }
  | {
      kind: 'fill';
      quantity: Decimal;
      price: Decimal;
      slippageBps: Decimal;
      commission: Decimal;
      stopTriggered: boolean;
      /** IOC: the rest is canceled after this fill. */
      cancelRest: boolean;
    };

const BPS = new Decimal(10_000);
const SHARE_PLACES = 6;

export function slippageBps(quantity: Decimal, averageVolume: Decimal | null, config: OrderConfig['slippage']): Decimal {
  const max = new Decimal(String(config.maxBps));
  if (!averageVolume || averageVolume.lte(0)) return max;
  const bps = new Decimal(String(config.baseBps)).plus(new Decimal(String(config.impactBps)).mul(quantity.div(averageVolume).sqrt()));
  return Decimal.min(bps, max).toDecimalPlaces(4);
}

/** Commission of a fill: the order's commission through this fill (at least the minimum) minus what earlier fills paid. */
export function commissionFor(
  fill: { quantity: Decimal; notional: Decimal; filledBefore: Decimal; commissionSoFar: Decimal; currency: string },
  config: OrderConfig['commission'],
): Decimal {
  const through =
    config.mode === 'per_share'
      ? fill.filledBefore.plus(fill.quantity).mul(String(config.perShare))
      : fill.commissionSoFar.plus(fill.notional.mul(String(config.bps)).div(BPS));
  const total = toCurrencyUnit(Decimal.max(through, new Decimal(String(config.minimum))), fill.currency);
  return Decimal.max(total.minus(fill.commissionSoFar), ZERO);
}

/** The price a fill executes at: the tick's price moved `bps` against the order, never beyond a limit. */
export function executionPrice(side: Side, tickPrice: Decimal, bps: Decimal, limit: Decimal | null): Decimal {
  const moved = side === 'BUY' ? tickPrice.mul(BPS.plus(bps)).div(BPS) : tickPrice.mul(BPS.minus(bps)).div(BPS);
  let price = moved.toDecimalPlaces(6, side === 'BUY' ? Decimal.ROUND_UP : Decimal.ROUND_DOWN);
  if (limit) price = side === 'BUY' ? Decimal.min(price, limit) : Decimal.max(price, limit);
  return price;
}

/** Shares a tick can give paper orders: tickParticipation of its volume, to 6 places. */
export function tickLiquidity(volume: Decimal, participation: number): Decimal {
  return volume.mul(String(participation)).toDecimalPlaces(SHARE_PLACES, Decimal.ROUND_DOWN);
}

function stopTouched(side: Side, price: Decimal, stop: Decimal): boolean {
  return side === 'BUY' ? price.gte(stop) : price.lte(stop);
}

function limitCrossed(side: Side, price: Decimal, limit: Decimal): boolean {
  return side === 'BUY' ? price.lte(limit) : price.gte(limit);
}

/**
 * What one tick does to one open order. `available` is what is left of the
 * tick's liquidity after earlier orders of the symbol took theirs.
 */
export function decide(
  order: MatchableOrder,
  tick: MatchTick,
  available: Decimal,
  averageVolume: Decimal | null,
  config: OrderConfig,
): MatchDecision {
  // Only ticks after acceptance: a market order fills on the *next* tick, not on the quote it was priced from.
  if (tick.timestamp.getTime() <= order.createdAt.getTime()) return { kind: 'none', stopTriggered: order.stopTriggered };
  const firstChance = order.timeInForce === 'IOC' || order.timeInForce === 'FOK';
  let stopTriggered = order.stopTriggered;
  if ((order.type === 'STOP' || order.type === 'STOP_LIMIT') && !stopTriggered) {
    stopTriggered = stopTouched(order.side, tick.price, order.stopPrice!);
  }
  const limit = order.type === 'LIMIT' || order.type === 'STOP_LIMIT' ? order.limitPrice : null;
  const armed = order.type === 'MARKET' || order.type === 'LIMIT' || stopTriggered;
  const crosses = armed && (limit === null || limitCrossed(order.side, tick.price, limit));
  const remaining = order.quantity.minus(order.filledQuantity);
  const quantity = Decimal.min(remaining, Decimal.max(available, ZERO));
  if (!crosses || quantity.lte(0)) {
    if (firstChance) {
      const reason = !crosses
        ? `${order.timeInForce}: the first tick after acceptance did not reach the order's price`
        : `${order.timeInForce}: the first tick after acceptance had no liquidity left`;
      return { kind: 'cancel', reason, stopTriggered };
    }
    return { kind: 'none', stopTriggered };
  }
  if (order.timeInForce === 'FOK' && quantity.lt(remaining)) {
    return { kind: 'cancel', reason: `FOK: the first tick after acceptance could fill ${quantity.toFixed()} of ${remaining.toFixed()} shares`, stopTriggered };
  }
  const bps = slippageBps(order.quantity, averageVolume, config.slippage);
  const price = executionPrice(order.side, tick.price, bps, limit);
  // What the fill really cost against the tick, after the limit cap.
  const realisedBps = price.minus(tick.price).abs().div(tick.price).mul(BPS).toDecimalPlaces(4);
  const notional = toCurrencyUnit(quantity.mul(price), order.currency);
  const commission = commissionFor(
    { quantity, notional, filledBefore: order.filledQuantity, commissionSoFar: order.commissionSoFar, currency: order.currency },
    config.commission,
  );
  return {
    kind: 'fill',
    quantity,
    price,
    slippageBps: realisedBps,
    commission,
    stopTriggered,
    cancelRest: order.timeInForce === 'IOC' && quantity.lt(remaining),
  };
}

/**
 * Buying power an accepted buy holds: quantity × (limit for LIMIT / STOP_LIMIT;
 * max(last, stop) × (1 + margin) for MARKET / STOP) plus the commission that would be
 * charged on it, rounded up to the minor unit. Sells reserve no cash.
 */
export function reservationFor(
  order: { side: Side; type: OrderKind; quantity: Decimal; limitPrice: Decimal | null; stopPrice: Decimal | null; currency: string },
  lastPrice: Decimal,
  config: OrderConfig,
): Decimal {
  if (order.side === 'SELL') return ZERO;
  let perShare: Decimal;
  if (order.type === 'LIMIT' || order.type === 'STOP_LIMIT') perShare = order.limitPrice!;
  else {
    const reference = order.type === 'STOP' ? Decimal.max(lastPrice, order.stopPrice!) : lastPrice;
    perShare = reference.mul(new Decimal(1).plus(String(config.marketMargin)));
  }
  const notional = order.quantity.mul(perShare);
  const commission = commissionFor(
    { quantity: order.quantity, notional, filledBefore: ZERO, commissionSoFar: ZERO, currency: order.currency },
    config.commission,
  );
  return notional.plus(commission).toDecimalPlaces(6, Decimal.ROUND_UP);
}

/** What stays reserved after a fill: the reservation in proportion to the shares still open. */
export function reservationAfterFill(reserved: Decimal, remainingBefore: Decimal, remainingAfter: Decimal): Decimal {
  if (remainingAfter.lte(0) || remainingBefore.lte(0)) return ZERO;
  return reserved.mul(remainingAfter).div(remainingBefore).toDecimalPlaces(6, Decimal.ROUND_UP);
}
