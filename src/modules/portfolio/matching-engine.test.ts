import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { commissionFor, decide, reservationFor, slippageBps, tickLiquidity, type MatchableOrder } from './matching-engine.js';

const config = loadConfig({ NODE_ENV: 'test' }).orders;
const d = (value: string | number) => new Decimal(value);
const accepted = new Date('2025-03-05T15:00:00Z');
const later = new Date('2025-03-05T15:00:05Z');

const order = (over: Partial<MatchableOrder> = {}): MatchableOrder => ({
  side: 'BUY', type: 'MARKET', timeInForce: 'DAY', quantity: d(100), filledQuantity: d(0), limitPrice: null, stopPrice: null,
  stopTriggered: false, commissionSoFar: d(0), currency: 'USD', createdAt: accepted, ...over,
});
const tick = (price: number, volume = 1_000_000, timestamp = later) => ({ price: d(price), volume: d(volume), timestamp });
const ADV = d(1_000_000);

describe('the matching engine', () => {
  it('fills a market order on the first tick after acceptance, never on an earlier one', () => {
    expect(decide(order(), tick(100, 1_000_000, accepted), d(1e9), ADV, config).kind).toBe('none');
    const fill = decide(order(), tick(100), d(1e9), ADV, config);
    expect(fill.kind).toBe('fill');
  });

  it('prices slippage as base + impact × sqrt(quantity / average volume), against the order', () => {
    // 10,000 of 1,000,000 a day: 1 + 50 × 0.1 = 6 bps.
    expect(slippageBps(d(10_000), ADV, config.slippage).toFixed()).toBe('6');
    expect(slippageBps(d(100), null, config.slippage).toFixed()).toBe('100');
    const buy = decide(order({ quantity: d(10_000) }), tick(100), d(1e9), ADV, config);
    const sell = decide(order({ side: 'SELL', quantity: d(10_000) }), tick(100), d(1e9), ADV, config);
    expect(buy.kind === 'fill' && buy.price.toFixed()).toBe('100.06');
    expect(sell.kind === 'fill' && sell.price.toFixed()).toBe('99.94');
  });

  it('fills a limit order only when a tick crosses, and never beyond the limit', () => {
    const limit = order({ type: 'LIMIT', limitPrice: d(99) });
    expect(decide(limit, tick(99.5), d(1e9), ADV, config).kind).toBe('none');
    const fill = decide(limit, tick(98.99), d(1e9), ADV, config);
    expect(fill.kind === 'fill' && fill.price.toFixed()).toBe('99');
    expect(fill.kind === 'fill' && fill.price.lte(99)).toBe(true);
  });

  it('triggers a stop when a tick touches it and then fills as a market order; a stop-limit then waits for its limit', () => {
    const stop = order({ side: 'SELL', type: 'STOP', stopPrice: d(95) });
    expect(decide(stop, tick(96), d(1e9), ADV, config)).toEqual({ kind: 'none', stopTriggered: false });
    expect(decide(stop, tick(95), d(1e9), ADV, config).kind).toBe('fill');
    const stopLimit = order({ type: 'STOP_LIMIT', stopPrice: d(105), limitPrice: d(104) });
    expect(decide(stopLimit, tick(106), d(1e9), ADV, config)).toEqual({ kind: 'none', stopTriggered: true });
    expect(decide({ ...stopLimit, stopTriggered: true }, tick(103.5), d(1e9), ADV, config).kind).toBe('fill');
  });

  it('fills at most the liquidity left on the tick, so a large order fills over several ticks', () => {
    expect(tickLiquidity(d(555), 0.1).toFixed()).toBe('55.5');
    const fill = decide(order(), tick(100, 500), tickLiquidity(d(500), 0.1), ADV, config);
    expect(fill.kind === 'fill' && fill.quantity.toFixed()).toBe('50');
    const rest = decide(order({ filledQuantity: d(50) }), tick(100, 5_000), d(500), ADV, config);
    expect(rest.kind === 'fill' && rest.quantity.toFixed()).toBe('50');
  });

  it('cancels IOC leftovers and FOK orders the first tick cannot fill completely', () => {
    const ioc = decide(order({ timeInForce: 'IOC' }), tick(100), d(30), ADV, config);
    expect(ioc.kind === 'fill' && [ioc.quantity.toFixed(), ioc.cancelRest]).toEqual(['30', true]);
    expect(decide(order({ timeInForce: 'FOK' }), tick(100), d(30), ADV, config).kind).toBe('cancel');
    expect(decide(order({ timeInForce: 'FOK' }), tick(100), d(100), ADV, config).kind).toBe('fill');
    expect(decide(order({ type: 'LIMIT', limitPrice: d(90), timeInForce: 'IOC' }), tick(100), d(100), ADV, config).kind).toBe('cancel');
  });

  it('charges commission per share with a per-order minimum, or in bps', () => {
    const perShare = config.commission;
    expect(commissionFor({ quantity: d(100), notional: d(10_000), filledBefore: d(0), commissionSoFar: d(0), currency: 'USD' }, perShare).toFixed()).toBe('1');
    expect(commissionFor({ quantity: d(400), notional: d(40_000), filledBefore: d(0), commissionSoFar: d(0), currency: 'USD' }, perShare).toFixed()).toBe('2');
    // 150 + 150 shares: the first fill pays the minimum, the second only what exceeds it (300 × 0.005 = 1.50).
    expect(commissionFor({ quantity: d(150), notional: d(15_000), filledBefore: d(150), commissionSoFar: d(1), currency: 'USD' }, perShare).toFixed()).toBe('0.5');
    const bps = { ...perShare, mode: 'bps' as const, bps: 5 };
    expect(commissionFor({ quantity: d(100), notional: d(10_000), filledBefore: d(0), commissionSoFar: d(0), currency: 'USD' }, bps).toFixed()).toBe('5');
  });

  it('reserves buying power at the limit, or last price plus the margin for market and stop buys, commission included', () => {
    const base = { side: 'BUY' as const, quantity: d(10), stopPrice: null, limitPrice: null, currency: 'USD' };
    expect(reservationFor({ ...base, type: 'LIMIT', limitPrice: d(50) }, d(60), config).toFixed()).toBe('501');
    expect(reservationFor({ ...base, type: 'MARKET' }, d(100), config).toFixed()).toBe('1051');
    expect(reservationFor({ ...base, type: 'STOP', stopPrice: d(120) }, d(100), config).toFixed()).toBe('1261');
    expect(reservationFor({ ...base, side: 'SELL', type: 'MARKET' }, d(100), config).toFixed()).toBe('0');
  });
});
