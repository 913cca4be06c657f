// npm run backfill -- --provider csv --file x.csv [--symbols AAPL,MSFT] [--interval DAY] [--from 2024-01-01 --to 2024-12-31]
// Loads historical candles into the stock database (migrating it first) and
// prints the report. Rows already stored are kept: a repeated run inserts nothing.
// Exit status: 0 when every row and symbol was usable, 2 when some were reported, 1 on failure.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openStockDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrator.js';
import { databaseTargets } from '../src/db/targets.js';
import { IndicatorHistory } from '../src/modules/indicator/indicator-history.js';
import { IngestService } from '../src/modules/market/ingest.service.js';
import { createIndicatorCompute } from '../src/workers/indicator-pool.js';
import { MARKET_DATA_PROVIDER_NAMES, type CandleIntervalName, type MarketDataProviderName } from '../src/providers/market-data-provider.js';
import { createMarketDataProvider } from '../src/providers/provider-factory.js';
import { migrationsDir } from '../src/paths.js';
import { runScript } from './script-support.js';

const USAGE =
  'usage: npm run backfill -- --provider csv|yahoo|simulated [--file x.csv] [--symbols AAPL,MSFT] [--interval DAY|HOUR|MINUTE] [--from 2024-01-01 --to 2024-12-31]';

class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
  }
}

/** YYYY-MM-DD (UTC midnight; as `to` of an intraday backfill, the end of that day) or a full ISO date-time. */
function parseDate(option: string, text: string | undefined, endOfDay: boolean): Date | null {
  if (text === undefined) return null;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const date = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--${option}: not a date: ${text}`);
  return dateOnly && endOfDay ? new Date(date.getTime() + 86_400_000 - 1) : date;
}

const OPTIONS = {
  provider: { type: 'string' },
  file: { type: 'string' },
  symbols: { type: 'string' },
  interval: { type: 'string', default: 'DAY' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const;

function readArguments() {
  try {
    return parseArgs({ options: OPTIONS, strict: true }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

await runScript(async () => {
  const values = readArguments();
  const config = loadConfig();
  const providerName = (values.provider ?? config.marketDataProvider) as MarketDataProviderName;
  if (!MARKET_DATA_PROVIDER_NAMES.includes(providerName)) throw new UsageError(`--provider: expected one of ${MARKET_DATA_PROVIDER_NAMES.join(', ')}`);
  const interval = values.interval!.toUpperCase() as CandleIntervalName;
  if (!['MINUTE', 'HOUR', 'DAY'].includes(interval)) throw new UsageError('--interval: expected DAY, HOUR or MINUTE');
  const symbols = (values.symbols ?? '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  const from = parseDate('from', values.from, false);
  const to = parseDate('to', values.to, interval !== 'DAY');
  if (from && to && from > to) throw new UsageError('--from must not be after --to');
  if (providerName === 'csv' && !values.file) throw new UsageError('--file is required for --provider csv');
  if (providerName !== 'csv' && (symbols.length === 0 || !from || !to)) throw new UsageError(`--symbols, --from and --to are required for --provider ${providerName}`);

  const db = await openStockDatabase(databaseTargets(config, 2).stock);
  try {
    await migrate(db.sql, migrationsDir('stock'));
    const provider = await createMarketDataProvider(providerName, config, {
      sql: db.sql,
      symbols,
      csvFile: values.file ? resolve(values.file) : null,
    });
    const started = Date.now();
    const report = await new IngestService(db.sql).backfill(provider, symbols, interval, from, to);
    for (const e of report.errors) {
      console.log(`  ${e.line !== undefined ? `line ${e.line}` : 'error'}${e.symbol ? ` (${e.symbol})` : ''}: ${e.reason}`);
    }
    console.log(
      `stock (${db.location}): ${provider.name} ${interval}: inserted ${report.inserted}, skipped ${report.skipped}, ` +
        `${report.errors.length} error${report.errors.length === 1 ? '' : 's'} in ${Date.now() - started} ms`,
    );
    if (interval === 'DAY' && report.firstNew.length > 0) {
      // The symbols' indicators from their first new candle on (a running server's job would also notice, within 5 minutes).
      const indicators = await new IndicatorHistory(db.sql, createIndicatorCompute(0)).recomputeFrom(report.firstNew);
      console.log(`indicators: ${indicators.points} points of ${indicators.recomputed} symbols recomputed in ${indicators.ms} ms`);
    }
    if (report.errors.length > 0) process.exitCode = 2;
  } finally {
    await db.close();
  }
});
