import type { Config } from '../../config.js';
import type { SqlExecutor } from '../../db/sql-executor.js';
import type { MarketDataProviderName } from '../../providers/market-data-provider.js';
import { createMarketDataProvider } from '../../providers/provider-factory.js';
import type { StockService } from '../stock/stock.service.js';
import type { BackfillReport } from './backfill.type.js';
import { resolveImportFile, type BackfillArgs } from './backfill.validation.js';
import { IngestService } from './ingest.service.js';

export type MarketConfig = Pick<Config, 'csvImportDir' | 'yahooBaseUrl' | 'marketTickSeconds'>;

/** Long-lived market-data pieces: one per process, shared by the ingest job and the backfill mutation. */
export interface MarketDependencies {
  /** The stock database. */
  sql: SqlExecutor;
  ingest: IngestService;
  config: MarketConfig;
  /** Told which symbols got new DAY candles in a backfill, and the first new one's time (app.ts recomputes their indicators). */
  afterDailyCandles?: (affected: { symbol: string; from: Date }[]) => Promise<unknown>;
}

export function createMarketDependencies(config: MarketConfig & Pick<Config, 'marketDataProvider'>, stockSql: SqlExecutor): MarketDependencies {
  return { sql: stockSql, ingest: new IngestService(stockSql, { tickSource: config.marketDataProvider }), config };
}

const PROVIDER_NAMES: Record<BackfillArgs['provider'], MarketDataProviderName> = { SIMULATED: 'simulated', YAHOO: 'yahoo', CSV: 'csv' };

export class BackfillService {
  constructor(
    private readonly deps: MarketDependencies,
    private readonly stocks: StockService,
  ) {}

  /** Runs a validated backfill: symbols must be listed, a CSV file must sit inside the import directory. */
  async run(args: BackfillArgs): Promise<BackfillReport> {
    await this.stocks.assertKnown(args.symbols, (i) => `symbols[${i}]`);
    const csvFile = args.provider === 'CSV' ? await resolveImportFile(this.deps.config.csvImportDir, args.csvPath!) : null;
    const name = PROVIDER_NAMES[args.provider];
    const provider = await createMarketDataProvider(name, this.deps.config, { sql: this.deps.sql, symbols: args.symbols, csvFile });
    const result = await this.deps.ingest.backfill(provider, args.symbols, args.interval, args.from, args.to);
    if (args.interval === 'DAY' && result.firstNew.length > 0) await this.deps.afterDailyCandles?.(result.firstNew);
    return {
      inserted: result.inserted,
      skipped: result.skipped,
      errors: result.errors.map((e) => ({ line: e.line ?? null, symbol: e.symbol ?? null, reason: e.reason })),
    };
  }
}
