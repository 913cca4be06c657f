import type { StockClient, UserClient } from '../db/database.js';
import type { AuthService } from '../modules/auth/auth.service.js';
import { createStockLoaders, type StockLoaders } from '../modules/stock/stock.loaders.js';
import { StockService } from '../modules/stock/stock.service.js';
import type { AuthState } from './auth.js';

/** What every operation's resolvers share; built anew per HTTP request or websocket operation. */
export interface Context extends AuthState {
  requestId: string;
  loaders: { stock: StockLoaders };
  services: { stocks: StockService; auth: AuthService };
}

/** Long-lived pieces every context is built from. */
export interface ContextDependencies {
  stockDb: StockClient;
  userDb: UserClient;
  auth: AuthService;
}

export function createContext(deps: ContextDependencies, requestId: string, auth: AuthState): Context {
  const stockLoaders = createStockLoaders(deps.stockDb);
  return {
    ...auth,
    requestId,
    loaders: { stock: stockLoaders },
    services: { stocks: new StockService(deps.stockDb, stockLoaders), auth: deps.auth },
  };
}
