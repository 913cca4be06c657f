import { CACHE_SECONDS, cacheHint } from '../../graphql/cache-control.js';
import { Directive, Field, Float, Int, ObjectType, registerEnumType } from '../../graphql/type-graphql.js';
import { SentimentLabelEnum } from '../news/news.type.js';

export enum SentimentWindow {
  ONE_DAY = 'ONE_DAY',
  SEVEN_DAYS = 'SEVEN_DAYS',
  THIRTY_DAYS = 'THIRTY_DAYS',
}
registerEnumType(SentimentWindow, { name: 'SentimentWindow', description: 'The period a sentiment summary averages, ending now.' });

export const WINDOW_MS: Readonly<Record<SentimentWindow, number>> = {
  ONE_DAY: 86_400_000,
  SEVEN_DAYS: 7 * 86_400_000,
  THIRTY_DAYS: 30 * 86_400_000,
};

// One GraphQL enum for articles and summaries (registered by the news types).
export { SentimentLabelEnum };

// Cached answers are dropped by the symbol's sentimentTopic events (src/composition/cached-reads.ts).
@Directive(cacheHint(CACHE_SECONDS.listing))
@ObjectType({ description: 'The mean sentiment of the scored news articles naming a stock over one window.' })
export class SentimentSummary {
  @Field(() => String) symbol!: string;
  @Field(() => SentimentWindow) window!: SentimentWindow;
  @Field(() => Float, { description: 'Mean article score, -1 (most negative) .. 1 (most positive), 5 decimals.' }) score!: number;
  @Field(() => SentimentLabelEnum) label!: SentimentLabelEnum;
  @Field(() => Int, { description: 'Articles published in the window that name the stock.' }) articleCount!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'score minus the mean score of the window of the same length just before it; null when that window has no articles.',
  })
  trend!: number | null;
}
