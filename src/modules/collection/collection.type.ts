import { Field, Float, ID, InputType, ObjectType } from '../../graphql/type-graphql.js';

@ObjectType({ description: 'A watchlist: a named, ordered list of stocks owned by one user.' })
export class Collection {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  /** The owner; never exposed, used to scope every look-up. */
  accountId!: string;
}

@InputType()
export class CreateCollectionInput {
  @Field(() => String, { description: '1-100 characters.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Up to 1000 characters.' })
  description?: string | null;

  @Field(() => [String], { nullable: true, description: 'Listed, non-blacklisted symbols; at most 500.' })
  symbols?: string[] | null;
}

@ObjectType({ description: 'A stock the signed-in user marked, with an optional target price and note.' })
export class StockInterest {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  symbol!: string;

  @Field(() => Float, { nullable: true })
  targetPrice!: number | null;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@InputType()
export class MarkStockInput {
  @Field(() => String)
  symbol!: string;

  @Field(() => Float, { nullable: true, description: 'A positive price in the stock’s currency.' })
  targetPrice?: number | null;

  @Field(() => String, { nullable: true, description: 'Up to 2000 characters.' })
  note?: string | null;
}

