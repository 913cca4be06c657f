import type { StockClient, UserClient } from '../db/database.js';
import { createStockLoaders, type StockLoaders } from '../modules/stock/stock.loaders.js';
import { StockService } from '../modules/stock/stock.service.js';

/** What every operation's resolvers share; built anew per HTTP request or websocket operation. */
export interface Context {
  requestId: string;
  loaders: { stock: StockLoaders };
  services: { stocks: StockService };
}

export interface ContextDependencies {
  stockDb: StockClient;
  userDb: UserClient;
}

export function createContext(deps: ContextDependencies, requestId: string): Context {
  const stockLoaders = createStockLoaders(deps.stockDb);
  return {
    requestId,
    loaders: { stock: stockLoaders },
    services: { stocks: new StockService(deps.stockDb, stockLoaders) },
  };
}
