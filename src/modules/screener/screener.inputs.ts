import { Field, Float, ID, InputType, Int } from '../../graphql/type-graphql.js';
import { ScreenerSortField, SortDirection } from './screener.type.js';

@InputType({ description: 'Order of screener results; ties are broken by symbol. Missing values come last either way.' })
export class ScreenerSort {
  @Field(() => ScreenerSortField)
  field!: ScreenerSortField;

  @Field(() => SortDirection)
  direction!: SortDirection;
}

@InputType({ description: 'Keeps stocks whose value of the filter lies in [min, max]; give min, max or both.' })
export class NumericCriterionInput {
  @Field(() => ID, { description: 'A NumericFilter id.' })
  filterId!: string;

  @Field(() => Float, { nullable: true })
  min?: number | null;

  @Field(() => Float, { nullable: true })
  max?: number | null;
}

@InputType({ description: "Keeps stocks whose value of the filter is one of `values` (each among the filter's options)." })
export class CategoricalCriterionInput {
  @Field(() => ID, { description: 'A CategoricalFilter id.' })
  filterId!: string;

  @Field(() => [String])
  values!: string[];
}

@InputType({ description: 'Criteria (all must hold; at most 20 in all) and the page of results to return.' })
export class ScreenerInput {
  @Field(() => [NumericCriterionInput], { nullable: true })
  numeric?: NumericCriterionInput[] | null;

  @Field(() => [CategoricalCriterionInput], { nullable: true })
  categorical?: CategoricalCriterionInput[] | null;

  @Field(() => ScreenerSort, { nullable: true, description: 'Default: MARKET_CAP DESC.' })
  sort?: ScreenerSort | null;

  @Field(() => Int, { nullable: true, description: '1-100, default 20.' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@InputType({ description: 'A custom screener: its name and criteria (at most 20 in all). Saving replaces all criteria.' })
export class CustomScreenerInput {
  @Field(() => String, { description: '1-100 characters, trimmed.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'At most 1000 characters.' })
  description?: string | null;

  @Field(() => [NumericCriterionInput], { nullable: true })
  numeric?: NumericCriterionInput[] | null;

  @Field(() => [CategoricalCriterionInput], { nullable: true })
  categorical?: CategoricalCriterionInput[] | null;
}
