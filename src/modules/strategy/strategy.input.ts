import { Field, Float, InputType, Int } from '../../graphql/type-graphql.js';
import { SizingMode, StrategyKind } from './strategy.type.js';

@InputType({ description: 'A strategy’s rules and sizing. Defaults: SMA 20/50; RSI period 14, lower 30, upper 70; minConfidence 0.6; PERCENT_OF_CASH 10.' })
export class StrategyInput {
  @Field(() => StrategyKind)
  kind!: StrategyKind;

  @Field(() => Int, { nullable: true })
  fastPeriod?: number | null;

  @Field(() => Int, { nullable: true })
  slowPeriod?: number | null;

  @Field(() => Int, { nullable: true })
  period?: number | null;

  @Field(() => Float, { nullable: true })
  lower?: number | null;

  @Field(() => Float, { nullable: true })
  upper?: number | null;

  @Field(() => String, { nullable: true, description: 'Required for FOLLOW_MODEL.' })
  modelId?: string | null;

  @Field(() => Float, { nullable: true })
  minConfidence?: number | null;

  @Field(() => SizingMode, { nullable: true })
  sizingMode?: SizingMode | null;

  @Field(() => Float, { nullable: true, description: 'Shares per buy; required for FIXED_QUANTITY.' })
  quantity?: number | null;

  @Field(() => Float, { nullable: true, description: 'Percent of cash per buy (PERCENT_OF_CASH).' })
  percentOfCash?: number | null;
}

@InputType()
export class EnableStrategyInput {
  @Field(() => StrategyInput)
  strategy!: StrategyInput;

  @Field(() => [String], { description: '1-20 listed symbols.' })
  symbols!: string[];
}

@InputType()
export class BacktestInput {
  @Field(() => StrategyInput)
  strategy!: StrategyInput;

  @Field(() => [String])
  symbols!: string[];

  @Field(() => Date)
  from!: Date;

  @Field(() => Date)
  to!: Date;

  @Field(() => Float)
  initialCash!: number;
}

