import { Field, Float, InputType, ObjectType } from '../../graphql/type-graphql.js';
import { PageInfo } from '../../graphql/relay.js';
import { Stock } from './stock.type.js';

@ObjectType()
export class StockEdge {
  @Field(() => Stock)
  node!: Stock;

  @Field(() => String)
  cursor!: string;
}

@ObjectType({ description: 'A page of stocks, in the order the field that returns it documents.' })
export class StockConnection {
  @Field(() => [StockEdge])
  edges!: StockEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** Counts every match; resolved only when asked for (see StockConnectionResolver). */
  totalCount?: number;

  /** Not exposed: the filter behind this page, for totalCount. */
  countMatches!: () => Promise<number>;
}

@InputType({ description: 'Narrows `stocks`; all given conditions must hold.' })
export class StockFilter {
  @Field(() => String, { nullable: true, description: 'Exact sector, e.g. "Technology".' })
  sector?: string | null;

  @Field(() => String, { nullable: true })
  industry?: string | null;

  @Field(() => String, { nullable: true, description: 'Exact exchange, e.g. "NASDAQ".' })
  exchange?: string | null;

  @Field(() => Float, { nullable: true })
  marketCapMin?: number | null;

  @Field(() => Float, { nullable: true })
  marketCapMax?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Case-insensitive text: symbols starting with it or names containing it.',
  })
  search?: string | null;
}
