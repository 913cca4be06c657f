import { PageInfo } from '../../graphql/relay.js';
import { Field, Float, ID, ObjectType, registerEnumType } from '../../graphql/type-graphql.js';
import { OrderSide } from './portfolio.type.js';

export enum OrderType {
  MARKET = 'MARKET',
  LIMIT = 'LIMIT',
  STOP = 'STOP',
  STOP_LIMIT = 'STOP_LIMIT',
}
registerEnumType(OrderType, {
  name: 'OrderType',
  description: 'MARKET fills on the next tick; LIMIT when a tick crosses limitPrice; STOP turns into a market order, STOP_LIMIT into a limit order, once a tick touches stopPrice.',
});

export enum TimeInForce {
  DAY = 'DAY',
  GTC = 'GTC',
  IOC = 'IOC',
  FOK = 'FOK',
}
registerEnumType(TimeInForce, {
  name: 'TimeInForce',
  description:
    'DAY: expires at the New York close of its session; GTC: until filled or canceled; IOC: the first tick after acceptance fills what it can, the rest is canceled; FOK: the first tick fills all of it or the order is canceled.',
});

export enum OrderStatus {
  NEW = 'NEW',
  PARTIALLY_FILLED = 'PARTIALLY_FILLED',
  FILLED = 'FILLED',
  CANCELED = 'CANCELED',
  EXPIRED = 'EXPIRED',
  REJECTED = 'REJECTED',
}
registerEnumType(OrderStatus, { name: 'OrderStatus', description: 'NEW and PARTIALLY_FILLED are open; the others are final.' });

@ObjectType({ description: 'One execution of a paper order.' })
export class OrderFill {
  @Field(() => Float)
  quantity!: number;

  @Field(() => Float, { description: 'Execution price in the listing currency, slippage included.' })
  price!: number;

  @Field(() => Float, { description: 'Commission of this fill (booked as a FEE cash entry).' })
  commission!: number;

  @Field(() => Float, { description: 'How far price is from the tick it filled on, in basis points (against the order).' })
  slippageBps!: number;

  @Field(() => Date)
  executedAt!: Date;
}

@ObjectType({ description: 'A paper order, filled by the matching engine against the live feed.' })
export class Order {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  clientOrderId!: string | null;

  @Field(() => String)
  symbol!: string;

  @Field(() => OrderSide)
  side!: OrderSide;

  @Field(() => OrderType)
  type!: OrderType;

  @Field(() => Float)
  quantity!: number;

  @Field(() => Float)
  filledQuantity!: number;

  @Field(() => Float, { nullable: true })
  limitPrice!: number | null;

  @Field(() => Float, { nullable: true })
  stopPrice!: number | null;

  @Field(() => TimeInForce)
  timeInForce!: TimeInForce;

  @Field(() => OrderStatus)
  status!: OrderStatus;

  @Field(() => String, { nullable: true, description: 'Why the order was REJECTED, CANCELED by its time in force, or EXPIRED.' })
  rejectReason!: string | null;

  @Field(() => Float, { nullable: true, description: 'Volume-weighted price of the fills so far; null before the first.' })
  averageFillPrice!: number | null;

  @Field(() => String, { description: 'Currency of the listing (prices and commissions).' })
  currency!: string;

  @Field(() => Float, { description: 'Buying power this order still holds (open buys; 0 otherwise).' })
  reservedAmount!: number;

  @Field(() => Date, { nullable: true, description: 'When a DAY order expires: the New York close of its session.' })
  expiresAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  /** Not exposed: scopes the fills loader and the orderUpdated topic. */
  portfolioId!: string;
}

@ObjectType()
export class OrderEdge {
  @Field(() => Order)
  node!: Order;

  @Field(() => String)
  cursor!: string;
}

@ObjectType({ description: 'Orders, newest first.' })
export class OrderConnection {
  @Field(() => [OrderEdge])
  edges!: OrderEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

