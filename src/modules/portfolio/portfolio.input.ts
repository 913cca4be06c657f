import { Field, Float, ID, InputType } from '../../graphql/type-graphql.js';
import { OrderSide } from './portfolio.type.js';

@InputType()
export class CreatePortfolioInput {
  @Field(() => String, { description: '1-100 characters.' })
  name!: string;

  @Field(() => String, { defaultValue: 'USD', description: 'USD, EUR, GBP, CHF, CAD or JPY.' })
  baseCurrency?: string | null;

  @Field(() => Boolean, { defaultValue: false })
  allowShort?: boolean | null;
}

@InputType({ description: 'A deposit or withdrawal. A repeat of idempotencyKey returns the first result.' })
export class CashMovementInput {
  @Field(() => ID)
  portfolioId!: string;

  @Field(() => Float, { description: 'Positive, with at most the currency’s minor-unit decimals (2 for USD, 0 for JPY).' })
  amount!: number;

  @Field(() => String, { nullable: true, description: 'Defaults to the portfolio’s base currency.' })
  currency?: string | null;

  @Field(() => String, { description: '1-100 characters, unique per user: a retry with the same key does nothing twice.' })
  idempotencyKey!: string;
}

@InputType({ description: 'Moves cash in the source portfolio’s base currency, converted at the stored FX rate when the target’s differs.' })
export class TransferCashInput {
  @Field(() => ID)
  fromPortfolioId!: string;

  @Field(() => ID)
  toPortfolioId!: string;

  @Field(() => Float)
  amount!: number;

  @Field(() => String)
  idempotencyKey!: string;
}

@InputType({ description: 'A trade made elsewhere (at a broker), booked into the portfolio.' })
export class RecordTradeInput {
  @Field(() => ID)
  portfolioId!: string;

  @Field(() => String)
  symbol!: string;

  @Field(() => OrderSide)
  side!: OrderSide;

  @Field(() => Float, { description: 'Shares, positive, at most 6 decimals.' })
  quantity!: number;

  @Field(() => Float, { description: 'Price per share in `currency`, at most 6 decimals.' })
  price!: number;

  @Field(() => Float, { nullable: true, description: 'Commission paid, in `currency`; default 0.' })
  fee?: number | null;

  @Field(() => String, { nullable: true, description: 'Must be the listing’s currency; defaults to it.' })
  currency?: string | null;

  @Field(() => Date)
  executedAt!: Date;
}
