import { Field, Float, InputType, ObjectType, Directive } from '../../graphql/type-graphql.js';
import { CACHE_SECONDS, cacheHint } from '../../graphql/cache-control.js';
import { PageInfo } from '../../graphql/relay.js';
import { Stock } from './stock.type.js';

@Directive(cacheHint(CACHE_SECONDS.listing))
@ObjectType()
export class StockEdge {
  @Field(() => Stock)
  node!: Stock;

  @Field(() => String)
  cursor!: string;
}

@Directive(cacheHint(CACHE_SECONDS.listing))
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
  @Field(() => String, { nullable: true, description: 'Sector in any letter case, e.g. "technology"; a sector no stock has matches none.' })
  sector?: string | null;

  @Field(() => String, { nullable: true, description: 'Industry in any letter case; an industry no stock has matches none.' })
  industry?: string | null;

  @Field(() => String, { nullable: true, description: 'Exchange in any letter case, e.g. "nasdaq"; an exchange no stock has matches none.' })
  exchange?: string | null;

  @Field(() => Float, { nullable: true })
  marketCapMin?: number | null;

  @Field(() => Float, { nullable: true })
  marketCapMax?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Case-insensitive text: symbols starting with it or names containing it. "%", "_" and "\\" match only themselves.',
  })
  search?: string | null;
}
