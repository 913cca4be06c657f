import { Field, Float, ID, InputType } from '../../graphql/type-graphql.js';
import { OrderType, TimeInForce } from './order.type.js';
import { OrderSide } from './portfolio.type.js';

@InputType({ description: 'A paper order. A repeat of clientOrderId (per portfolio) returns the first order and places nothing.' })
export class PlaceOrderInput {
  @Field(() => ID)
  portfolioId!: string;

  @Field(() => String, { description: 'A listed, active, not blacklisted symbol.' })
  symbol!: string;

  @Field(() => OrderSide)
  side!: OrderSide;

  @Field(() => Float, { description: 'Shares, positive, at most 6 decimals.' })
  quantity!: number;

  @Field(() => OrderType)
  type!: OrderType;

  @Field(() => Float, { nullable: true, description: 'Required for LIMIT and STOP_LIMIT, refused otherwise.' })
  limitPrice?: number | null;

  @Field(() => Float, { nullable: true, description: 'Required for STOP and STOP_LIMIT, refused otherwise.' })
  stopPrice?: number | null;

  @Field(() => TimeInForce, { defaultValue: TimeInForce.DAY })
  timeInForce?: TimeInForce | null;

  @Field(() => String, { nullable: true, description: '1-64 of A-Z a-z 0-9 . _ : -; unique per portfolio.' })
  clientOrderId?: string | null;
}
