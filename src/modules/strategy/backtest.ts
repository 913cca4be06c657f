// Replays a strategy over stored daily candles with the paper orders' own fill
// model (matching-engine.ts `decide`, `reservationFor`, `tickLiquidity`):
// a signal on bar t's close becomes a GTC market order accepted at that close,
// and each later bar of the symbol is one tick priced at its open with the bar's
// volume, exactly as the live matcher treats a tick. Cash and positions are
// Decimal; the return statistics are numbers.
import { Decimal } from 'decimal.js';
import type { OrderConfig } from '../../config.js';
import { decide, reservationFor, tickLiquidity, type MatchableOrder } from '../portfolio/matching-engine.js';
import { buyQuantity, type Sizing } from './sizing.js';
import { followModelSignals, indicatorSignals, type PredictionSignal, type SignalSide, type StrategyParams } from './strategy-signals.js';

export interface BacktestCandle {
  ts: Date;
  open: Decimal;
  close: Decimal;
  volume: Decimal;
}

export interface BacktestTrade {
  symbol: string;
  side: SignalSide;
  quantity: Decimal;
  price: Decimal;
  commission: Decimal;
  slippageBps: Decimal;
  signalAt: Date;
  executedAt: Date;
}

export interface BacktestResult {
  trades: BacktestTrade[];
  equity: { ts: Date; value: Decimal }[];
  finalValue: Decimal;
  /** final / initial − 1. */
  totalReturn: Decimal;
  /** Daily, annualised by √252; null with fewer than two returns or no variation. */
  sharpe: number | null;
  /** Largest fall from a running peak of the equity curve, as a fraction (0.1 = 10 %). */
  maxDrawdown: number;
}

interface Pending {
  order: MatchableOrder;
  signalAt: Date;
}

const AVERAGE_VOLUME_SESSIONS = 20;
const TRADING_DAYS = 252;

export function runBacktest(input: {
  params: StrategyParams;
  sizing: Sizing;
  candles: ReadonlyMap<string, readonly BacktestCandle[]>;
  initialCash: Decimal;
  currency: string;
  config: OrderConfig;
  riskFreeRate: number;
  /** FOLLOW_MODEL: the model's stored predictions per symbol (PredictionSignals.history). */
  predictions?: ReadonlyMap<string, readonly PredictionSignal[]>;
}): BacktestResult {
  const { config } = input;
  const signals = new Map<string, (SignalSide | null)[]>();
  const indexByTs = new Map<string, Map<number, number>>();
  for (const [symbol, bars] of input.candles) {
    const { params } = input;
    signals.set(
      symbol,
      params.kind === 'FOLLOW_MODEL'
        ? followModelSignals(params, bars.map((bar) => bar.ts), input.predictions?.get(symbol) ?? [])
        : indicatorSignals(params, bars.map((bar) => bar.close.toNumber())),
    );
    indexByTs.set(symbol, new Map(bars.map((bar, i) => [bar.ts.getTime(), i])));
  }
  const dates = [...new Set([...input.candles.values()].flatMap((bars) => bars.map((bar) => bar.ts.getTime())))].sort((a, b) => a - b);

  let cash = input.initialCash;
  const held = new Map<string, Decimal>();
  const lastClose = new Map<string, Decimal>();
  const pending = new Map<string, Pending>();
  const trades: BacktestTrade[] = [];
  const equity: BacktestResult['equity'] = [];
  const reserved = () => [...pending.values()].reduce((sum, p) => (p.order.side === 'BUY' ? sum.plus(reservationOf(p.order)) : sum), new Decimal(0));
  const reservations = new Map<MatchableOrder, Decimal>();
  const reservationOf = (order: MatchableOrder) => reservations.get(order) ?? new Decimal(0);

  for (const time of dates) {
    for (const [symbol, bars] of input.candles) {
      const i = indexByTs.get(symbol)!.get(time);
      if (i === undefined) continue;
      const bar = bars[i]!;
      const open = pending.get(symbol);
      if (open) {
        const from = Math.max(0, i - AVERAGE_VOLUME_SESSIONS);
        const prior = bars.slice(from, i);
        const averageVolume = prior.length ? prior.reduce((sum, b) => sum.plus(b.volume), new Decimal(0)).div(prior.length) : null;
        const tick = { price: bar.open, volume: bar.volume, timestamp: bar.ts };
        const decision = decide(open.order, tick, tickLiquidity(bar.volume, config.tickParticipation), averageVolume, config);
        if (decision.kind === 'fill') {
          const notional = decision.quantity.mul(decision.price);
          const position = held.get(symbol) ?? new Decimal(0);
          if (open.order.side === 'BUY') {
            cash = cash.minus(notional).minus(decision.commission);
            held.set(symbol, position.plus(decision.quantity));
          } else {
            cash = cash.plus(notional).minus(decision.commission);
            held.set(symbol, position.minus(decision.quantity));
          }
          trades.push({ symbol, side: open.order.side, quantity: decision.quantity, price: decision.price, commission: decision.commission, slippageBps: decision.slippageBps, signalAt: open.signalAt, executedAt: bar.ts });
          open.order.filledQuantity = open.order.filledQuantity.plus(decision.quantity);
          open.order.commissionSoFar = open.order.commissionSoFar.plus(decision.commission);
          if (open.order.filledQuantity.gte(open.order.quantity) || decision.cancelRest) pending.delete(symbol);
        } else if (decision.kind === 'cancel') pending.delete(symbol);
      }
      lastClose.set(symbol, bar.close);
      const signal = signals.get(symbol)![i];
      if (signal && !pending.has(symbol)) {
        const order = orderFor(signal, symbol, bar, cash.minus(reserved()), held.get(symbol) ?? new Decimal(0), input, reservations);
        if (order) pending.set(symbol, { order, signalAt: bar.ts });
      }
    }
    let value = cash;
    for (const [symbol, quantity] of held) value = value.plus(quantity.mul(lastClose.get(symbol) ?? 0));
    equity.push({ ts: new Date(time), value });
  }

  const finalValue = equity.at(-1)?.value ?? input.initialCash;
  const values = equity.map((point) => point.value.toNumber());
  return {
    trades,
    equity,
    finalValue,
    totalReturn: finalValue.div(input.initialCash).minus(1),
    sharpe: sharpeRatio(values, input.riskFreeRate),
    maxDrawdown: maxDrawdown(values),
  };
}

/** The order a signal places, under the paper rules: a buy must fit the buying power, a sell sells what is held. */
function orderFor(
  side: SignalSide,
  _symbol: string,
  bar: BacktestCandle,
  buyingPower: Decimal,
  held: Decimal,
  input: { sizing: Sizing; currency: string; config: OrderConfig },
  reservations: Map<MatchableOrder, Decimal>,
): MatchableOrder | null {
  const quantity = side === 'BUY' ? buyQuantity(input.sizing, buyingPower, bar.close, input.config.marketMargin) : held;
  if (quantity.lte(0)) return null;
  const order: MatchableOrder = {
    side,
    type: 'MARKET',
    timeInForce: 'GTC',
    quantity,
    filledQuantity: new Decimal(0),
    limitPrice: null,
    stopPrice: null,
    stopTriggered: false,
    commissionSoFar: new Decimal(0),
    currency: input.currency,
    createdAt: bar.ts,
  };
  const reservation = reservationFor({ ...order }, bar.close, input.config);
  // The paper path would answer INSUFFICIENT_FUNDS: the signal places nothing.
  if (side === 'BUY' && reservation.gt(buyingPower)) return null;
  reservations.set(order, reservation);
  return order;
}

/** Mean daily excess return over its sample standard deviation, × √252. */
export function sharpeRatio(values: readonly number[], riskFreeRate: number): number | null {
  const returns: number[] = [];
  for (let i = 1; i < values.length; i++) returns.push(values[i]! / values[i - 1]! - 1 - riskFreeRate / TRADING_DAYS);
  if (returns.length < 2) return null;
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const variance = returns.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (returns.length - 1);
  if (variance <= 1e-24) return null;
  return (mean / Math.sqrt(variance)) * Math.sqrt(TRADING_DAYS);
}

export function maxDrawdown(values: readonly number[]): number {
  let peak = -Infinity;
  let worst = 0;
  for (const value of values) {
    peak = Math.max(peak, value);
    if (peak > 0) worst = Math.max(worst, (peak - value) / peak);
  }
  return worst;
}
