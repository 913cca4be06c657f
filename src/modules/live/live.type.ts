import { Field, Float, ObjectType } from '../../graphql/type-graphql.js';

@ObjectType({ description: 'A live price tick for one stock, pushed by `priceUpdated`.' })
export class PriceUpdate {
  @Field(() => String)
  symbol!: string;

  @Field(() => Float)
  price!: number;

  @Field(() => Float, { nullable: true, description: 'Against the previous trading day’s close.' })
  change!: number | null;

  @Field(() => Float, { nullable: true })
  changePercent!: number | null;

  @Field(() => Float, { description: 'Shares traded today so far.' })
  volume!: number;

  @Field(() => Date)
  timestamp!: Date;
}
