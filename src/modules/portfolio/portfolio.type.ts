import { PageInfo } from '../../graphql/relay.js';
import { Field, Float, ID, ObjectType, registerEnumType } from '../../graphql/type-graphql.js';

export enum OrderSide {
  BUY = 'BUY',
  SELL = 'SELL',
}
registerEnumType(OrderSide, { name: 'OrderSide', description: 'Buy or sell.' });

export enum TradeSource {
  RECORDED = 'RECORDED',
  IMPORTED = 'IMPORTED',
  PAPER = 'PAPER',
}
registerEnumType(TradeSource, { name: 'TradeSource', description: 'Where a trade came from: recorded by hand, imported from a broker file, or a paper fill.' });

/*
 * Money and quantities are Float in GraphQL, as prices are elsewhere in the
 * schema, and exact DECIMAL in storage and in every calculation (decimal.js).
 * Amounts here are at most 15 significant digits in practice (cash to the
 * minor unit, quantities to 6 places), which a double carries exactly enough
 * to round-trip to the cent; a `Decimal` string scalar can be added beside
 * these fields when a client needs exact cents of very large balances.
 */

@ObjectType({ description: 'A portfolio of one user: cash per currency and positions, read from one snapshot of its books.' })
export class Portfolio {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'ISO 4217 currency every total of this portfolio is given in.' })
  baseCurrency!: string;

  @Field(() => Boolean, { description: 'Whether selling more than held (a short position) is allowed.' })
  allowShort!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  /** The owner; never exposed, used to scope every look-up. */
  accountId!: string;
}

@ObjectType({ description: 'Cash held in one currency.' })
export class CashBalance {
  @Field(() => String)
  currency!: string;

  @Field(() => Float)
  amount!: number;
}

@ObjectType({ description: 'A holding: money fields are in the portfolio’s base currency unless they say otherwise.' })
export class Position {
  @Field(() => String, { description: 'The symbol held (`stock` resolves it through the stock loader).' })
  symbol!: string;

  @Field(() => Float, { description: 'Shares held (to 6 places); negative for a short position.' })
  quantity!: number;

  @Field(() => String, { description: 'Currency of the listing (and of averageCost and price).' })
  currency!: string;

  @Field(() => Float, { description: 'Volume-weighted fill price of the shares held, commissions excluded, in the listing currency.' })
  averageCost!: number;

  @Field(() => Float, { description: 'The latest quote in the listing currency (averageCost when the stock has no price yet).' })
  price!: number;

  @Field(() => Float)
  marketValue!: number;

  @Field(() => Float, { description: 'What the shares held cost (quantity × averageCost).' })
  costBasis!: number;

  @Field(() => Float)
  unrealizedPnl!: number;

  @Field(() => Float, { nullable: true, description: 'unrealizedPnl / costBasis × 100; null when the cost basis is zero.' })
  unrealizedPnlPercent!: number | null;

  @Field(() => Float, { description: 'quantity × the quote’s change since the previous close.' })
  dayChange!: number;

  @Field(() => Float, { description: 'marketValue / the portfolio’s totalValue (0-1; negative for a short).' })
  weight!: number;

  @Field(() => Float, { description: 'P&L realised by sells of this symbol to date.' })
  realizedPnl!: number;
}

@ObjectType({ description: 'One execution in the portfolio’s trade log.' })
export class Trade {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  symbol!: string;

  @Field(() => OrderSide)
  side!: OrderSide;

  @Field(() => Float)
  quantity!: number;

  @Field(() => Float, { description: 'Execution price in `currency`.' })
  price!: number;

  @Field(() => Float, { description: 'Commission in `currency`, booked as a FEE cash entry.' })
  fee!: number;

  @Field(() => String)
  currency!: string;

  @Field(() => Float, { description: 'quantity × price in `currency`, rounded to its minor unit.' })
  notionalLocal!: number;

  @Field(() => Float, { description: 'notionalLocal in the portfolio’s base currency at fxRate.' })
  notional!: number;

  @Field(() => Float, { description: 'Base-currency units per unit of `currency` when the trade was recorded.' })
  fxRate!: number;

  @Field(() => TradeSource)
  source!: TradeSource;

  @Field(() => Date)
  executedAt!: Date;
}

@ObjectType()
export class TradeEdge {
  @Field(() => Trade)
  node!: Trade;

  @Field(() => String)
  cursor!: string;
}

@ObjectType({ description: 'Trades, newest first.' })
export class TradeConnection {
  @Field(() => [TradeEdge])
  edges!: TradeEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
