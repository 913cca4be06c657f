import type { Config } from '../config.js';
import type { SqlExecutor } from '../db/sql-executor.js';
import { CsvProvider } from './csv-provider.js';
import type { MarketDataProvider, MarketDataProviderName } from './market-data-provider.js';
import { SimulatedProvider, type SimulatedProviderOptions } from './simulated-provider.js';
import { YahooProvider, type YahooProviderOptions } from './yahoo-provider.js';

export interface ProviderFactoryOptions {
  /** The stock database: the simulated walk starts from its last closes. */
  sql: SqlExecutor;
  /** Symbols the simulated walk starts for; default every active stock (one more query). */
  symbols?: readonly string[];
  /** The file a csv provider reads; without one it has no history. */
  csvFile?: string | null;
  simulated?: SimulatedProviderOptions;
  yahoo?: YahooProviderOptions;
}

export async function activeSymbols(sql: SqlExecutor): Promise<string[]> {
  const rows = await sql.query<{ symbol: string }>('SELECT symbol FROM stock WHERE is_active ORDER BY symbol');
  return rows.map((r) => r.symbol);
}

/** The provider `name` configured from `config` (MARKET_DATA_PROVIDER, YAHOO_BASE_URL, MARKET_TICK_SECONDS). */
export async function createMarketDataProvider(
  name: MarketDataProviderName,
  config: Pick<Config, 'yahooBaseUrl' | 'marketTickSeconds'>,
  options: ProviderFactoryOptions,
): Promise<MarketDataProvider> {
  switch (name) {
    case 'simulated': {
      const symbols = options.symbols ?? (await activeSymbols(options.sql));
      return SimulatedProvider.fromDatabase(options.sql, symbols, { tickSeconds: config.marketTickSeconds, ...options.simulated });
    }
    case 'yahoo':
      return new YahooProvider({ baseUrl: config.yahooBaseUrl, ...options.yahoo });
    case 'csv':
      return new CsvProvider(options.csvFile ?? null);
  }
}
