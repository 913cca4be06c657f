import { AlertResolver, AlertSubscriptionResolver } from '../modules/alert/alert.resolver.js';
import { lexicographicSortSchema, printSchema, specifiedDirectives, type GraphQLSchema } from 'graphql';
import { cacheControlDirective } from '../graphql/cache-control.js';
import { DateTimeResolver } from 'graphql-scalars';
import { guardTextArguments } from '../graphql/text-input.js';
import { buildSchema, getMetadataStorage } from '../graphql/type-graphql.js';
import { AuthResolver } from '../modules/auth/auth.resolver.js';
import { ApiKeyResolver } from '../modules/api-key/api-key.resolver.js';
import { LiveResolver } from '../modules/live/live.resolver.js';
import { BackfillResolver } from '../modules/market/backfill.resolver.js';
import { CollectionResolver, UserCollectionsResolver } from '../modules/collection/collection.resolver.js';
import { InterestResolver, StockInterestResolver } from '../modules/collection/interest.resolver.js';
import { CustomScreenerResolver } from '../modules/screener/custom-screener.resolver.js';
import {
  CategoricalCriterionResolver,
  NumericCriterionResolver,
  ScreenerResolver,
} from '../modules/screener/screener.resolver.js';
import { StockConnectionResolver, StockResolver } from '../modules/stock/stock.resolver.js';
import { QuoteResolver } from '../modules/stock/quote.resolver.js';
import { StockIndicatorsResolver } from '../modules/indicator/indicator.resolver.js';
import { PortfolioResolver, PositionResolver } from '../modules/portfolio/portfolio.resolver.js';
import { ImportResolver } from '../modules/portfolio/import.resolver.js';
import { OrderResolver, PortfolioOrdersResolver } from '../modules/portfolio/order.resolver.js';
import { PortfolioAnalyticsResolver } from '../modules/portfolio/analytics.resolver.js';
import { PortfolioValueResolver } from '../modules/portfolio/portfolio-value.resolver.js';
import { ActivityResolver } from '../modules/activity/activity.resolver.js';
import { PortfolioStrategiesResolver, StrategyResolver } from '../modules/strategy/strategy.resolver.js';
import { FeatureSummaryResolver } from '../modules/prediction/features/feature-summary.resolver.js';
import { ArticleResolver, NewsResolver, StockNewsResolver } from '../modules/news/news.resolver.js';
import { ScannerResolver, ScannerSubscriptionResolver, ScanResultResolver } from '../modules/scanner/scanner.resolver.js';
import { JobQueueResolver } from '../modules/queues/job-queue.resolver.js';
import { SentimentSubscriptionResolver, StockSentimentResolver } from '../modules/sentiment/sentiment.resolver.js';
import { PredictionResolver, StockPredictionResolver } from '../modules/prediction/prediction.resolver.js';

export const resolvers = [
  AlertResolver,
  AlertSubscriptionResolver,
  StockResolver,
  QuoteResolver,
  LiveResolver,
  StockConnectionResolver,
  StockIndicatorsResolver,
  AuthResolver,
  ApiKeyResolver,
  CollectionResolver,
  UserCollectionsResolver,
  InterestResolver,
  StockInterestResolver,
  ScreenerResolver,
  NumericCriterionResolver,
  CategoricalCriterionResolver,
  CustomScreenerResolver,
  BackfillResolver,
  PortfolioResolver,
  ImportResolver,
  PositionResolver,
  OrderResolver,
  PortfolioOrdersResolver,
  PortfolioAnalyticsResolver,
  PortfolioValueResolver,
  ActivityResolver,
  StrategyResolver,
  PortfolioStrategiesResolver,
  FeatureSummaryResolver,
  NewsResolver,
  StockNewsResolver,
  ArticleResolver,
  ScannerResolver,
  ScanResultResolver,
  ScannerSubscriptionResolver,
  JobQueueResolver,
  StockSentimentResolver,
  SentimentSubscriptionResolver,
  PredictionResolver,
  StockPredictionResolver,
] as const;

/**
 * type-graphql gives every plain field (no @FieldResolver) a resolver of its own that builds a resolver-data object
 * and dispatches to the field's middlewares, of which this schema has none: graphql-js's default resolver reads the
 * same property without it (measured in bench:execute), and graphql-jit can inline it. Marks those fields `simple`
 * before the build; a field with middlewares, @Authorized or another schema name keeps type-graphql's resolver.
 */
function plainFieldsUseTheDefaultResolver(): void {
  const storage = getMetadataStorage();
  const wrapped = new Set([...storage.middlewares, ...storage.authorizedFields].map((meta) => meta.target.prototype?.constructor ?? meta.target));
  for (const field of storage.fields) {
    if (field.simple === undefined && field.name === field.schemaName && !wrapped.has(field.target)) field.simple = true;
  }
}

export async function buildAppSchema(): Promise<GraphQLSchema> {
  plainFieldsUseTheDefaultResolver();
  const schema = await buildSchema({
    resolvers,
    // DateTime: ISO-8601 strings with an offset, parsed into Date.
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    // Input is validated with zod in resolvers (see graphql/validate.ts).
    validate: false,
    // @cacheControl hints (src/graphql/cache-control.ts), read by Apollo's cache-control plugin and the response cache.
    directives: [...specifiedDirectives, cacheControlDirective],
    // Every subscription brings its own `subscribe` over our EventBus; type-graphql
    // still insists on a PubSub, so give it one that says so if it is ever used.
    pubSub: {
      publish: () => {
        throw new Error('Use the EventBus (src/realtime) to publish');
      },
      subscribe: () => {
        throw new Error('Subscriptions declare their own subscribe function');
      },
    },
  });
  // NUL characters and lone surrogates in any string argument are BAD_USER_INPUT (src/graphql/text-input.ts).
  return guardTextArguments(schema);
}

const HEADER = '# Generated from the code by `npm run generate:schema`; do not edit.\n\n';

/** The SDL committed as schema.graphql: sorted, so that it diffs cleanly. */
export function printAppSchema(schema: GraphQLSchema): string {
  return HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}
