import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { SqlExecutor } from '../../src/db/sql-executor.js';
import { CsvProvider } from '../../src/providers/csv-provider.js';
import { createMarketDataProvider } from '../../src/providers/provider-factory.js';
import { SimulatedProvider } from '../../src/providers/simulated-provider.js';
import { YahooProvider } from '../../src/providers/yahoo-provider.js';

describe('market data configuration', () => {
  it('defaults to the simulated feed every 5 seconds, Yahoo’s public host and ./data/imports', () => {
    expect(loadConfig({})).toMatchObject({
      marketDataProvider: 'simulated',
      yahooBaseUrl: 'https://query1.finance.yahoo.com',
      marketTickSeconds: 5,
      csvImportDir: './data/imports',
    });
    expect(loadConfig({ MARKET_DATA_PROVIDER: 'yahoo', YAHOO_BASE_URL: 'http://127.0.0.1:9999', MARKET_TICK_SECONDS: '1', CSV_IMPORT_DIR: '/srv/imports' })).toMatchObject({
      marketDataProvider: 'yahoo',
      yahooBaseUrl: 'http://127.0.0.1:9999',
      marketTickSeconds: 1,
      csvImportDir: '/srv/imports',
    });
  });

  it.each([
    [{ MARKET_DATA_PROVIDER: 'bloomberg' }, /^Invalid environment variable MARKET_DATA_PROVIDER: /],
    [{ MARKET_TICK_SECONDS: '0' }, /^Invalid environment variable MARKET_TICK_SECONDS: /],
    [{ MARKET_TICK_SECONDS: 'often' }, /^Invalid environment variable MARKET_TICK_SECONDS: expected a whole number/],
    [{ YAHOO_BASE_URL: 'ftp://example.com' }, /^Invalid environment variable YAHOO_BASE_URL: expected an http\(s\):\/\/ URL/],
  ])('rejects %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('builds the configured provider', async () => {
    const config = loadConfig({ YAHOO_BASE_URL: 'http://127.0.0.1:9999' });
    const sql = { query: async () => [{ symbol: 'AAPL', close: '190.5' }] } as unknown as SqlExecutor;
    const simulated = await createMarketDataProvider('simulated', config, { sql, symbols: ['AAPL'] });
    expect(simulated).toBeInstanceOf(SimulatedProvider);
    expect((simulated as SimulatedProvider).lastPrice('AAPL')).toBe(190.5);
    expect(await createMarketDataProvider('yahoo', config, { sql })).toBeInstanceOf(YahooProvider);
    const csv = await createMarketDataProvider('csv', config, { sql, csvFile: '/tmp/x.csv' });
    expect(csv).toBeInstanceOf(CsvProvider);
    expect((csv as CsvProvider).file).toBe('/tmp/x.csv');
  });
});
