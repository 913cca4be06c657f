import { JSONObjectResolver } from 'graphql-scalars';
import { PageInfo } from '../../graphql/relay.js';
import { Field, ObjectType, registerEnumType } from '../../graphql/type-graphql.js';

export enum ActivitySource {
  SYSTEM = 'SYSTEM',
  ERROR = 'ERROR',
  PERFORMANCE = 'PERFORMANCE',
  USER_ACTION = 'USER_ACTION',
  TRADING = 'TRADING',
}
registerEnumType(ActivitySource, {
  name: 'ActivitySource',
  description: 'Which activity table a row comes from.',
  valuesConfig: {
    SYSTEM: { description: 'A warn-or-worse log line of the server or its jobs.' },
    ERROR: { description: 'An unexpected error (clients saw INTERNAL_SERVER_ERROR).' },
    PERFORMANCE: { description: 'A job run or an operation slower than ACTIVITY_SLOW_OPERATION_MS.' },
    USER_ACTION: { description: 'A mutation, sign-ins included.' },
    TRADING: { description: 'A paper-order event (placed, filled, canceled…).' },
  },
});

export enum ActivitySeverity {
  DEBUG = 'DEBUG',
  INFO = 'INFO',
  WARN = 'WARN',
  ERROR = 'ERROR',
  FATAL = 'FATAL',
}
registerEnumType(ActivitySeverity, { name: 'ActivitySeverity', description: 'Ordered: DEBUG < INFO < WARN < ERROR < FATAL.' });

@ObjectType({ description: 'One row of the activity log (the recent_system_activity view).' })
export class Activity {
  @Field(() => ActivitySource)
  source!: ActivitySource;

  @Field(() => Date)
  timestamp!: Date;

  @Field(() => ActivitySeverity)
  severity!: ActivitySeverity;

  @Field(() => String, { description: 'The part of the system it concerns, e.g. api, jobs, portfolio, graphql.mutation.' })
  component!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String, { nullable: true, description: "The request's id (the x-request-id header, or one generated): ties one request's rows together." })
  correlationId!: string | null;

  @Field(() => JSONObjectResolver, { description: 'Source-specific details, e.g. durationMs, status, ip, portfolioId.' })
  metadata!: Record<string, unknown>;
}

@ObjectType()
export class ActivityEdge {
  @Field(() => Activity)
  node!: Activity;

  @Field(() => String)
  cursor!: string;
}

@ObjectType({ description: 'A page of activity, newest first.' })
export class ActivityConnection {
  @Field(() => [ActivityEdge])
  edges!: ActivityEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
