import type { StockClient, UserClient } from '../db/database.js';
import type { AuthService } from '../modules/auth/auth.service.js';
import { createCollectionLoaders, type CollectionLoaders } from '../modules/collection/collection.loaders.js';
import { CollectionService } from '../modules/collection/collection.service.js';
import { InterestService } from '../modules/collection/interest.service.js';
import { CustomScreenerService } from '../modules/screener/custom-screener.service.js';
import { createScreenerLoaders, type ScreenerLoaders } from '../modules/screener/screener.loaders.js';
import { ScreenerService } from '../modules/screener/screener.service.js';
import { createStockLoaders, type StockLoaders } from '../modules/stock/stock.loaders.js';
import { StockService } from '../modules/stock/stock.service.js';
import type { AuthState } from './auth.js';

/** What every operation's resolvers share; built anew per HTTP request or websocket operation. */
export interface Context extends AuthState {
  requestId: string;
  loaders: { stock: StockLoaders; collection: CollectionLoaders; screener: ScreenerLoaders };
  services: {
    stocks: StockService;
    auth: AuthService;
    collections: CollectionService;
    interests: InterestService;
    screeners: ScreenerService;
    customScreeners: CustomScreenerService;
  };
}

/** Long-lived pieces every context is built from. */
export interface ContextDependencies {
  stockDb: StockClient;
  userDb: UserClient;
  auth: AuthService;
}

export function createContext(deps: ContextDependencies, requestId: string, auth: AuthState): Context {
  const stockLoaders = createStockLoaders(deps.stockDb);
  const collectionLoaders = createCollectionLoaders(deps.userDb, auth.viewer);
  const stocks = new StockService(deps.stockDb, stockLoaders);
  const screenerLoaders = createScreenerLoaders(deps.stockDb, deps.userDb);
  const screeners = new ScreenerService(deps.stockDb, screenerLoaders, stockLoaders);
  return {
    ...auth,
    requestId,
    loaders: { stock: stockLoaders, collection: collectionLoaders, screener: screenerLoaders },
    services: {
      stocks,
      auth: deps.auth,
      collections: new CollectionService(deps.userDb, stocks, collectionLoaders),
      interests: new InterestService(deps.userDb, stocks, collectionLoaders),
      screeners,
      customScreeners: new CustomScreenerService(deps.userDb, screenerLoaders, screeners),
    },
  };
}
