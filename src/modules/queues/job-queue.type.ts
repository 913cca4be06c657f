import { Field, Int, ObjectType } from '../../graphql/type-graphql.js';

@ObjectType({ description: 'One job queue (BullMQ on Redis, or in-process on the embedded default) and its jobs by state.' })
export class JobQueue {
  @Field(() => String, { description: 'market-data, indicators, scanner, news, sentiment, predictions, order-matching or default.' })
  name!: string;

  @Field(() => Int, { description: 'Waiting for a consumer.' })
  waiting!: number;

  @Field(() => Int, { description: 'Being run now.' })
  active!: number;

  @Field(() => Int, { description: 'Done and still kept (the most recent ones).' })
  completed!: number;

  @Field(() => Int, { description: 'Failed on every attempt (kept for `npm run jobs -- failed`).' })
  failed!: number;

  @Field(() => Int, { description: 'Waiting out a retry backoff.' })
  delayed!: number;
}
