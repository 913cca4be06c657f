import { Decimal } from 'decimal.js';
import type { Quote } from '../stock/stock.type.js';
import { ZERO } from './money.js';
import type { PortfolioState, PositionState } from './portfolio-state.sql.js';
import type { Position } from './portfolio.type.js';

export interface Valuation {
  /** Cash per currency, in that currency. */
  cash: Map<string, Decimal>;
  positions: Position[];
  totalValue: Decimal;
  invested: Decimal;
  dayChange: Decimal;
  realizedPnl: Decimal;
}

const out = (value: Decimal) => value.toDecimalPlaces(6).toNumber();

/** Every currency a state needs a rate for to be valued in `base`. */
export function currenciesOf(state: PortfolioState): string[] {
  return [...new Set([...state.cash.keys(), ...state.positions.map((p) => p.currency)])];
}

function valuePosition(position: PositionState, quote: Quote | null, rate: Decimal) {
  const price = quote ? new Decimal(String(quote.price)) : position.averageCost;
  const marketValueLocal = position.quantity.mul(price);
  const unrealizedLocal = marketValueLocal.minus(position.costBasis);
  const change = quote?.change == null ? ZERO : new Decimal(String(quote.change));
  return {
    price,
    marketValue: marketValueLocal.mul(rate),
    unrealized: unrealizedLocal.mul(rate),
    unrealizedPercent: position.costBasis.isZero() ? null : unrealizedLocal.div(position.costBasis.abs()).mul(100),
    dayChange: position.quantity.mul(change).mul(rate),
  };
}

/**
 * Values one state in its base currency with the latest quotes (cache first)
 * and FX rates (base units per unit of each currency). A stock without any
 * price yet is valued at its average cost. Realised P&L of other currencies is
 * converted at today's rate.
 */
export function valuePortfolio(state: PortfolioState, quotes: Map<string, Quote | null>, rates: Map<string, Decimal>): Valuation {
  const rateOf = (currency: string) => rates.get(currency) ?? new Decimal(1);
  let totalValue = ZERO;
  for (const [currency, amount] of state.cash) totalValue = totalValue.plus(amount.mul(rateOf(currency)));
  let invested = ZERO;
  let dayChange = ZERO;
  let realizedPnl = ZERO;
  const valued: { position: PositionState; figures: ReturnType<typeof valuePosition> }[] = [];
  for (const position of state.positions) {
    const rate = rateOf(position.currency);
    realizedPnl = realizedPnl.plus(position.realizedPnl.mul(rate));
    if (position.quantity.isZero()) continue;
    const figures = valuePosition(position, quotes.get(position.symbol) ?? null, rate);
    valued.push({ position, figures });
    totalValue = totalValue.plus(figures.marketValue);
    invested = invested.plus(position.costBasis.mul(rate));
    dayChange = dayChange.plus(figures.dayChange);
  }
  const positions: Position[] = valued.map(({ position, figures }) => ({
    symbol: position.symbol,
    currency: position.currency,
    quantity: out(position.quantity),
    averageCost: out(position.averageCost),
    price: out(figures.price),
    marketValue: out(figures.marketValue),
    costBasis: out(position.costBasis.mul(rateOf(position.currency))),
    unrealizedPnl: out(figures.unrealized),
    unrealizedPnlPercent: figures.unrealizedPercent === null ? null : out(figures.unrealizedPercent),
    dayChange: out(figures.dayChange),
    weight: totalValue.isZero() ? 0 : out(figures.marketValue.div(totalValue)),
    realizedPnl: out(position.realizedPnl.mul(rateOf(position.currency))),
  }));
  return { cash: state.cash, positions, totalValue, invested, dayChange, realizedPnl };
}
