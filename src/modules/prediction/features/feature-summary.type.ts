import { PageInfo } from '../../../graphql/relay.js';
import { Field, Float, Int, ObjectType } from '../../../graphql/type-graphql.js';

@ObjectType({ description: "One symbol's stored engineered features (mv_features_dashboard_summary, refreshed hourly by the features job)." })
export class FeatureSummary {
  @Field(() => String)
  symbol!: string;

  @Field(() => Date, { description: 'The newest session with a stored feature row.' })
  latestTimestamp!: Date;

  @Field(() => Int, { description: 'Stored feature rows, every feature version counted.' })
  recordCount!: number;

  @Field(() => Int, { description: 'The newest feature version stored.' })
  latestVersion!: number;

  @Field(() => Float, { description: 'Share of the rows (0-1) with an RSI(14).' })
  rsiCoverage!: number;

  @Field(() => Float, { description: 'Share of the rows (0-1) with the SMA50/SMA200 ratio (200 sessions of history).' })
  maCoverage!: number;
}

@ObjectType()
export class FeatureSummaryEdge {
  @Field(() => FeatureSummary)
  node!: FeatureSummary;

  @Field(() => String)
  cursor!: string;
}

@ObjectType({ description: 'A page of feature summaries, by symbol.' })
export class FeatureSummaryConnection {
  @Field(() => [FeatureSummaryEdge])
  edges!: FeatureSummaryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
