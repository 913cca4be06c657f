import type { StockClient, UserClient } from '../db/database.js';
import type { AuthService } from '../modules/auth/auth.service.js';
import { createCollectionLoaders, type CollectionLoaders } from '../modules/collection/collection.loaders.js';
import { CollectionService } from '../modules/collection/collection.service.js';
import { InterestService } from '../modules/collection/interest.service.js';
import { CustomScreenerService } from '../modules/screener/custom-screener.service.js';
import { createScreenerLoaders, type ScreenerLoaders } from '../modules/screener/screener.loaders.js';
import { ScreenerService } from '../modules/screener/screener.service.js';
import { createStockLoaders, type StockLoaders } from '../modules/stock/stock.loaders.js';
import { createIndicatorLoaders, type IndicatorLoaders } from '../modules/indicator/indicator.loaders.js';
import { IndicatorService } from '../modules/indicator/indicator.service.js';
import { StockService } from '../modules/stock/stock.service.js';
import type { Cache } from '../cache/cache.js';
import { LiveService } from '../modules/live/live.service.js';
import { BackfillService, type MarketDependencies } from '../modules/market/backfill.service.js';
import type { EventBus } from '../realtime/event-bus.js';
import type { AuthState } from './auth.js';

/** What every operation's resolvers share; built anew per HTTP request or websocket operation. */
export interface Context extends AuthState {
  requestId: string;
  /** Present on websocket operations: lets a subscription close a client that stopped reading. */
  connection?: { closeSlowConsumer(): void };
  loaders: { stock: StockLoaders; collection: CollectionLoaders; screener: ScreenerLoaders; indicator: IndicatorLoaders };
  services: {
    stocks: StockService;
    auth: AuthService;
    collections: CollectionService;
    interests: InterestService;
    screeners: ScreenerService;
    customScreeners: CustomScreenerService;
    indicators: IndicatorService;
    live: LiveService;
    /** null until app.ts passes ContextDependencies.market */
    backfill: BackfillService | null;
  };
}

/** Long-lived pieces every context is built from. */
export interface ContextDependencies {
  stockDb: StockClient;
  userDb: UserClient;
  auth: AuthService;
  cache: Cache;
  bus: EventBus;
  /** Market-data ingestion (backfill mutation); see createMarketDependencies. */
  market?: MarketDependencies;
}

export function createContext(deps: ContextDependencies, requestId: string, auth: AuthState): Context {
  const stockLoaders = createStockLoaders(deps.stockDb, deps.cache);
  const collectionLoaders = createCollectionLoaders(deps.userDb, auth.viewer);
  const stocks = new StockService(deps.stockDb, stockLoaders);
  const screenerLoaders = createScreenerLoaders(deps.stockDb, deps.userDb);
  const screeners = new ScreenerService(deps.stockDb, screenerLoaders, stockLoaders);
  const indicators = new IndicatorService(deps.stockDb, deps.cache);
  return {
    ...auth,
    requestId,
    loaders: { stock: stockLoaders, collection: collectionLoaders, screener: screenerLoaders, indicator: createIndicatorLoaders(indicators) },
    services: {
      stocks,
      auth: deps.auth,
      collections: new CollectionService(deps.userDb, stocks, collectionLoaders),
      interests: new InterestService(deps.userDb, stocks, collectionLoaders),
      screeners,
      customScreeners: new CustomScreenerService(deps.userDb, screenerLoaders, screeners),
      indicators,
      live: new LiveService(deps.bus, stocks, indicators),
      backfill: deps.market ? new BackfillService(deps.market, stocks) : null,
    },
  };
}
