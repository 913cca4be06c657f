import type { StockClient, UserClient } from '../db/database.js';
import type { SqlExecutor } from '../db/sql-executor.js';
import type { AuthService } from '../modules/auth/auth.service.js';
import { createCollectionLoaders, type CollectionLoaders } from '../modules/collection/collection.loaders.js';
import { CollectionService } from '../modules/collection/collection.service.js';
import { InterestService } from '../modules/collection/interest.service.js';
import { CustomScreenerService } from '../modules/screener/custom-screener.service.js';
import { createScreenerLoaders, type ScreenerLoaders } from '../modules/screener/screener.loaders.js';
import { ScreenerService } from '../modules/screener/screener.service.js';
import type { StockRowCache } from '../modules/stock/stock-row-cache.js';
import type { CatalogueCache } from '../modules/screener/catalogue-cache.js';
import { createStockLoaders, type StockLoaders } from '../modules/stock/stock.loaders.js';
import { createIndicatorLoaders, type IndicatorLoaders } from '../modules/indicator/indicator.loaders.js';
import { IndicatorService } from '../modules/indicator/indicator.service.js';
import { StockService } from '../modules/stock/stock.service.js';
import type { Cache } from '../cache/cache.js';
import { LiveService } from '../modules/live/live.service.js';
import { BackfillService, type MarketDependencies } from '../modules/market/backfill.service.js';
import type { EventBus } from '../realtime/event-bus.js';
import type { AuthState } from '../graphql/auth.js';
import type { RequestContext } from '../graphql/request-context.js';
import { lazyClass } from '../lib/lazy-object.js';
import { ApiKeyService, type ApiKeyVerifier } from '../modules/api-key/api-key.service.js';
import { CapitalService } from '../modules/portfolio/capital.service.js';
import { StockDbFxRates, type FxRates } from '../modules/portfolio/fx-rates.js';
import { createPortfolioLoaders, type PortfolioLoaders } from '../modules/portfolio/portfolio.loaders.js';
import { PortfolioService } from '../modules/portfolio/portfolio.service.js';
import { TradeService } from '../modules/portfolio/trade.service.js';
import { ImportService } from '../modules/portfolio/import.service.js';
import { createOrderLoaders, type OrderLoaders } from '../modules/portfolio/order.loaders.js';
import { OrderService } from '../modules/portfolio/order.service.js';
import type { OrderConfig } from '../config.js';
import { ActivityService } from '../modules/activity/activity.service.js';
import type { InsightDependencies } from './insights.js';
import { AlertService } from '../modules/alert/alert.service.js';
import { AlertStore } from '../modules/alert/alert.store.js';

import { createAnalyticsLoaders, type AnalyticsLoaders } from '../modules/portfolio/analytics.loaders.js';
import { AnalyticsService, type AnalyticsConfig } from '../modules/portfolio/analytics.service.js';
import { PortfolioValueService } from '../modules/portfolio/portfolio-value.service.js';
import { createStrategyLoaders, StrategyService, type StrategyLoaders } from '../modules/strategy/strategy.service.js';
import { FeatureSummaryService } from '../modules/prediction/features/feature-summary.service.js';
import { createNewsLoaders, type NewsLoaders } from '../modules/news/news.loaders.js';
import { NewsService } from '../modules/news/news.service.js';
import { StoredPredictionSignals } from '../modules/prediction/prediction-signals.js';
import { ScannerService } from '../modules/scanner/scanner.service.js';
import { JobQueueService } from '../modules/queues/job-queue.service.js';
import type { JobQueues } from '../queues/job-queues.js';
import { createSentimentLoaders, type SentimentLoaders } from '../modules/sentiment/sentiment.loaders.js';
import { SentimentService } from '../modules/sentiment/sentiment.service.js';
import { createPredictionLoaders, PredictionService, type PredictionLoaders } from '../modules/prediction/prediction.service.js';


/** What every operation's resolvers share; built anew per HTTP request or websocket operation. */
export interface Context extends RequestContext {
  loaders: {
    stock: StockLoaders;
    collection: CollectionLoaders;
    screener: ScreenerLoaders;
    indicator: IndicatorLoaders;
    portfolio: PortfolioLoaders;
    orders: OrderLoaders;
    analytics: AnalyticsLoaders;
    strategies: StrategyLoaders;
    news: NewsLoaders;
    sentiment: SentimentLoaders;
    predictions: PredictionLoaders;
  };
  services: {
    stocks: StockService;
    auth: AuthService;
    collections: CollectionService;
    interests: InterestService;
    alerts: AlertService;
    screeners: ScreenerService;
    customScreeners: CustomScreenerService;
    indicators: IndicatorService;
    live: LiveService;
    apiKeys: ApiKeyService;
    portfolios: PortfolioService;
    capital: CapitalService;
    trades: TradeService;
    imports: ImportService;
    orders: OrderService;
    /** Performance, risk and allocation (issue 10, part 9). */
    analytics: AnalyticsService;
    /** portfolioValueUpdated streams. */
    portfolioValues: PortfolioValueService;
    /** FX rates from the stock database, batched per request. */
    fx: FxRates;
    /** null until app.ts passes ContextDependencies.market */
    backfill: BackfillService | null;
    /** systemActivity and myActivity (the activity schema of the user database). */
    activity: ActivityService;
    /** enableStrategy, disableStrategy, backtest (issue 13, part 6). */
    strategies: StrategyService;
    /** featureSummary (mv_features_dashboard_summary, issue 13 part 4). */
    featureSummary: FeatureSummaryService;
    /** news and Stock.news (issue 13, part 2). */
    news: NewsService;
    /** marketScan, runMarketScan, scanCompleted (issue 13, part 1). */
    scanner: ScannerService;
    /** jobQueues (admins): counts per queue. */
    jobQueues: JobQueueService;
    /** Stock.sentiment and sentimentUpdated (issue 13, part 3). */
    sentiment: SentimentService;
    /** models, Stock.prediction, predictionUpdated (issue 13, part 5). */
    predictions: PredictionService;
  };
}

/** Long-lived pieces every context is built from. */
export interface ContextDependencies {
  stockDb: StockClient;
  userDb: UserClient;
  /** The raw executors under the same pools: the hot loaders run on them (measured faster than Prisma). */
  stockSql: SqlExecutor;
  userSql: SqlExecutor;
  auth: AuthService;
  cache: Cache;
  /** Stock rows shared by every request of this process (invalidated over the bus); absent: always read. */
  stockRows?: StockRowCache;
  /** The filter catalogue and predefined screeners, shared the same way; absent: read per request. */
  catalogue?: CatalogueCache;
  bus: EventBus;
  /** The process-wide API key verifier (its cache is cleared when a key is revoked). */
  apiKeyVerifier: ApiKeyVerifier;
  /** Market-data ingestion (backfill mutation); see createMarketDependencies. */
  market?: MarketDependencies;
  /** Paper-order reservations and commissions (config.orders). */
  orderConfig: OrderConfig;
  /** Risk-free rate and the live value throttle; defaults when absent. */
  analytics?: AnalyticsConfig & { valueThrottleMs?: number };
  /** Scanner, news, sentiment, predictions, strategies and alerts (src/composition/insights.ts); absent in narrow tests. */
  insights?: InsightDependencies;
  /** The job queues (src/queues); absent in narrow tests. */
  queues?: JobQueues;
}

/** What the per-request loader and service factories build from. */
interface Scope {
  deps: ContextDependencies;
  auth: AuthState;
  loaders: Context['loaders'];
  services: Context['services'];
  /** The context itself: the response cache's symbol recorder writes into it. */
  context: Context;
}

/** Symbol-keyed reads are recorded in the request's response-cache slot, so an answer is dropped by the ticks of what it read. */
const symbolRecorder = (scope: Scope) => (symbol: string) => void scope.context.responseCache?.symbols.add(symbol);

const RequestLoaders = lazyClass<Scope, Context['loaders']>({
  stock: (scope) => createStockLoaders(scope.deps.stockDb, scope.deps.stockSql, scope.deps.cache, scope.deps.stockRows, symbolRecorder(scope)),
  collection: ({ deps, auth }) => createCollectionLoaders(deps.userDb, deps.userSql, auth.viewer),
  screener: ({ deps }) => createScreenerLoaders(deps.stockDb, deps.userDb),
  indicator: (scope) => createIndicatorLoaders(scope.services.indicators, symbolRecorder(scope)),
  portfolio: ({ deps, loaders, services }) => createPortfolioLoaders(deps.userDb, loaders.stock, services.fx),
  orders: ({ deps }) => createOrderLoaders(deps.userDb),
  analytics: ({ deps }) => createAnalyticsLoaders(deps.userDb, deps.stockDb),
  strategies: ({ deps }) => createStrategyLoaders(deps.userDb),
  news: ({ deps }) => createNewsLoaders(deps.stockSql),
  sentiment: (scope) => createSentimentLoaders(scope.deps.stockSql, symbolRecorder(scope)),
  predictions: ({ services }) => createPredictionLoaders(services.predictions),
});

const RequestServices = lazyClass<Scope, Context['services']>({
  stocks: ({ deps, loaders }) => new StockService(deps.stockDb, loaders.stock),
  auth: ({ deps }) => deps.auth,
  collections: ({ deps, loaders, services }) => new CollectionService(deps.userDb, deps.userSql, services.stocks, loaders.collection),
  interests: ({ deps, loaders, services }) => new InterestService(deps.userDb, services.stocks, loaders.collection, services.alerts),
  alerts: ({ deps, services }) => new AlertService(new AlertStore(deps.userDb), services.stocks, deps.bus),
  screeners: ({ deps, loaders }) => new ScreenerService(deps.stockDb, loaders.screener, loaders.stock, deps.catalogue),
  customScreeners: ({ deps, loaders, services }) => new CustomScreenerService(deps.userDb, loaders.screener, services.screeners),
  indicators: ({ deps }) => new IndicatorService(deps.stockDb, deps.cache),
  live: ({ deps, services }) => new LiveService(deps.bus, services.stocks, services.indicators),
  apiKeys: ({ deps }) => new ApiKeyService(deps.userDb, deps.apiKeyVerifier),
  fx: ({ deps }) => new StockDbFxRates(deps.stockDb),
  portfolios: ({ deps, loaders }) => new PortfolioService(deps.userDb, loaders.portfolio),
  capital: ({ deps, services }) => new CapitalService(deps.userDb, services.portfolios, services.fx, deps.bus),
  trades: ({ deps, loaders, services }) => new TradeService(deps.userDb, services.portfolios, services.stocks, services.fx, loaders.portfolio, deps.bus),
  imports: ({ deps, services }) => new ImportService(deps.userDb, services.portfolios, services.stocks, services.fx, deps.bus),
  orders: ({ deps, loaders, services }) =>
    new OrderService(deps.userDb, services.portfolios, services.stocks, loaders.orders, deps.bus, deps.orderConfig, services.fx),
  analytics: ({ deps, loaders, services }) => new AnalyticsService(loaders, services.fx, deps.analytics),
  portfolioValues: ({ deps, services }) => new PortfolioValueService(deps, services.portfolios, deps.analytics?.valueThrottleMs),
  backfill: ({ deps, services }) => (deps.market ? new BackfillService(deps.market, services.stocks) : null),
  activity: ({ deps }) => new ActivityService(deps.userSql),
  strategies: ({ deps, services }) =>
    new StrategyService(deps.userDb, deps.stockDb, services.portfolios, services.stocks, { orders: deps.orderConfig, riskFreeRate: deps.analytics?.riskFreeRate ?? 0 }, new StoredPredictionSignals(deps.stockSql)),
  featureSummary: ({ deps }) => new FeatureSummaryService(deps.stockSql),
  news: ({ deps, loaders, services }) => new NewsService(deps.stockSql, loaders.news, services.stocks),
  scanner: ({ deps }) => new ScannerService(deps.stockSql, deps.cache, deps.bus, deps.insights?.scanner),
  jobQueues: ({ deps }) => new JobQueueService(deps.queues),
  sentiment: ({ deps, loaders, services }) => new SentimentService(loaders.sentiment, services.stocks, deps.bus),
  predictions: ({ deps, services }) => new PredictionService(deps.stockDb, deps.stockSql, services.stocks, deps.bus),
});

/**
 * Loaders and services are created on first use, so an operation pays only
 * for the modules it touches, however many modules the schema grows. The
 * factories are defined once (above), not per request.
 */
export function createContext(deps: ContextDependencies, requestId: string, auth: AuthState): Context {
  const scope = { deps, auth } as Scope;
  scope.loaders = new RequestLoaders(scope);
  scope.services = new RequestServices(scope);
  scope.context = { ...auth, requestId, loaders: scope.loaders, services: scope.services };
  return scope.context;
}
