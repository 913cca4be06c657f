import { Field, Float, ID, ObjectType, registerEnumType, Directive } from '../../graphql/type-graphql.js';
import { CACHE_SECONDS, cacheHint } from '../../graphql/cache-control.js';

export enum ScreenerSortField {
  MARKET_CAP = 'MARKET_CAP',
  SYMBOL = 'SYMBOL',
  PRICE = 'PRICE',
  VOLUME = 'VOLUME',
  PE_RATIO = 'PE_RATIO',
  DIVIDEND_YIELD = 'DIVIDEND_YIELD',
}

registerEnumType(ScreenerSortField, {
  name: 'ScreenerSortField',
  description: 'What screener results are ordered by; PRICE and VOLUME come from the latest daily candle.',
});

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(SortDirection, { name: 'SortDirection' });

@Directive(cacheHint(CACHE_SECONDS.catalogue))
@ObjectType({ description: 'A numeric quantity screeners can bound, from the stock database catalogue.' })
export class NumericFilter {
  @Field(() => ID)
  id!: number;

  @Field(() => String, { description: 'Stable name, e.g. "pe_ratio".' })
  key!: string;

  @Field(() => String)
  label!: string;

  @Field(() => String, { description: 'e.g. USD, ratio, fraction, shares.' })
  unit!: string;

  @Field(() => Float, { nullable: true, description: 'Smallest sensible bound (for sliders); null when unbounded.' })
  min!: number | null;

  @Field(() => Float, { nullable: true, description: 'Largest sensible bound (for sliders); null when unbounded.' })
  max!: number | null;

  /** Not exposed: the whitelisted column the compiler reads (see screener.sql.ts). */
  columnName!: string;
}

@Directive(cacheHint(CACHE_SECONDS.catalogue))
@ObjectType({ description: 'A category screeners can pick values of, from the stock database catalogue.' })
export class CategoricalFilter {
  @Field(() => ID)
  id!: number;

  @Field(() => String, { description: 'Stable name, e.g. "sector".' })
  key!: string;

  @Field(() => String)
  label!: string;

  @Field(() => [String], { description: 'The values a criterion may pick from.' })
  options!: string[];

  /** Not exposed: the whitelisted column the compiler reads (see screener.sql.ts). */
  columnName!: string;
}

@Directive(cacheHint(CACHE_SECONDS.catalogue))
@ObjectType({ description: 'min <= value <= max on one numeric filter; a missing bound is open.' })
export class NumericCriterion {
  /** Not exposed: `filter` is resolved through a per-request loader. */
  filterId!: number;

  @Field(() => Float, { nullable: true })
  min!: number | null;

  @Field(() => Float, { nullable: true })
  max!: number | null;
}

@Directive(cacheHint(CACHE_SECONDS.catalogue))
@ObjectType({ description: 'The value of one categorical filter is any of `values`.' })
export class CategoricalCriterion {
  /** Not exposed: `filter` is resolved through a per-request loader. */
  filterId!: number;

  @Field(() => [String])
  values!: string[];
}

/** The criteria of a predefined screener, as stored in screener.criteria (by filter key). */
export interface PredefinedCriteria {
  numeric: { filterKey: string; min: number | null; max: number | null }[];
  categorical: { filterKey: string; values: string[] }[];
}

@Directive(cacheHint(CACHE_SECONDS.catalogue))
@ObjectType({ description: 'A predefined screener from the stock database.' })
export class Screener {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  description!: string;

  /** Not exposed: `numeric` and `categorical` resolve these keys to filters. */
  criteria!: PredefinedCriteria;
}

@ObjectType({ description: "A screener saved by the signed-in user; only its owner can see it." })
export class CustomScreener {
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
}
