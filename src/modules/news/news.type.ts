import { Directive, Field, Float, ID, ObjectType, registerEnumType } from '../../graphql/type-graphql.js';
import { CACHE_SECONDS, cacheHint } from '../../graphql/cache-control.js';
import { PageInfo } from '../../graphql/relay.js';

export enum SentimentLabelEnum {
  POSITIVE = 'POSITIVE',
  NEUTRAL = 'NEUTRAL',
  NEGATIVE = 'NEGATIVE',
}
registerEnumType(SentimentLabelEnum, { name: 'SentimentLabel', description: 'The tone of a text or of a set of articles: POSITIVE at score ≥ 0.05, NEGATIVE at ≤ -0.05, else NEUTRAL.' });

@Directive('@cacheControl(inheritMaxAge: true)')
@ObjectType({ description: 'How an article reads, scored once when it was ingested.' })
export class ArticleSentiment {
  @Field(() => SentimentLabelEnum) label!: SentimentLabelEnum;
  @Field(() => Float, { description: '-1 (most negative) to 1 (most positive).' }) score!: number;
  @Field(() => String, { description: 'What scored it: `lexicon`, or `llm:<model>` when an LLM endpoint is configured.' }) analyzer!: string;
}

@Directive('@cacheControl(inheritMaxAge: true)')
@ObjectType({ description: 'A news article naming one or more stocks.' })
export class Article {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'The article as the publisher links it.' }) url!: string;
  @Field(() => String, { description: 'Publisher or feed name.' }) source!: string;
  @Field(() => Date) publishedAt!: Date;
  @Field(() => String, { nullable: true }) summary!: string | null;
  @Field(() => ArticleSentiment) sentiment!: ArticleSentiment;
  /** Not exposed: the symbols the article names, resolved into `stocks` through the stock loaders. */
  symbols!: string[];
}

@Directive('@cacheControl(inheritMaxAge: true)')
@ObjectType()
export class ArticleEdge {
  @Field(() => Article) node!: Article;
  @Field(() => String) cursor!: string;
}

// New articles arrive every 30 minutes (news-ingest job): an answer may be a minute old.
@Directive(cacheHint(CACHE_SECONDS.listing))
@ObjectType({ description: 'A page of articles, newest first.' })
export class ArticleConnection {
  @Field(() => [ArticleEdge]) edges!: ArticleEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
