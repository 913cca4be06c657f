import type { Cache } from '../cache/cache.js';
import type { Config } from '../config.js';
import type { StockClient } from '../db/database.js';
import { ensureStockPricePartitions, upcomingPartitionWindow } from '../db/partitions.js';
import type { Logger } from '../log.js';
import type { IndicatorHistory } from '../modules/indicator/indicator-history.js';
import { publishIndicators, publishPrice } from '../modules/live/live.service.js';
import type { MarketDependencies } from '../modules/market/backfill.service.js';
import { pruneCandles } from '../modules/market/retention.js';
import { updateFundamentals } from '../modules/stock/fundamentals.sql.js';
import { announceStocksChanged } from '../modules/stock/stock-row-cache.js';
import { isFundamentalsSource, type MarketDataProvider } from '../providers/market-data-provider.js';
import { activeSymbols, createMarketDataProvider } from '../providers/provider-factory.js';
import type { EventBus } from '../realtime/event-bus.js';
import type { OrderFillService } from '../modules/portfolio/order-fill.service.js';
import { everySeconds, type Job } from './scheduler.js';

export interface MarketJobDependencies {
  config: Config;
  logger: Logger;
  market: MarketDependencies;
  stockDb: StockClient;
  cache: Cache;
  bus: EventBus;
  indicatorHistory: IndicatorHistory;
  /** Paper orders: matched against each batch of ticks once it is stored, DAY orders expired after the close. */
  orderFills?: OrderFillService;
  /** Aborted when the app closes: a long indicator run stops after its current slice. */
  signal?: AbortSignal;
}

/** The simulated walk is rebuilt this often so that stocks added meanwhile start ticking. */
const PROVIDER_REFRESH_MS = 3_600_000;

/**
 * The timetable: quotes every MARKET_TICK_SECONDS, indicators every 5 minutes,
 * retention nightly at 03:30 New York time (after the US close and before the
 * pre-market). Each job's lock TTL is far above its normal run time.
 */
export function marketJobs(deps: MarketJobDependencies): Job[] {
  let provider: { instance: MarketDataProvider; builtAt: number } | undefined;
  const currentProvider = async () => {
    if (!provider || Date.now() - provider.builtAt > PROVIDER_REFRESH_MS) {
      const instance = await createMarketDataProvider(deps.config.marketDataProvider, deps.config, { sql: deps.market.sql });
      provider = { instance, builtAt: Date.now() };
    }
    return provider.instance;
  };

  return [
    {
      name: 'quotes',
      cron: everySeconds(deps.config.marketTickSeconds),
      lockTtlMs: Math.max(deps.config.marketTickSeconds * 1000 * 5, 30_000),
      async run() {
        const source = await currentProvider();
        const ticks = await source.quotes(await activeSymbols(deps.market.sql));
        const updates = await deps.market.ingest.ingestTicks(ticks, source.name);
        for (const update of updates) await publishPrice(deps.bus, deps.cache, update);
        // In this job (not a bus consumer) so that matching runs once across processes, under the job's lock.
        if (!deps.orderFills) return { ticks: ticks.length, published: updates.length };
        const expired = await deps.orderFills.expireDue(new Date());
        const matched = await deps.orderFills.match(ticks);
        return { ticks: ticks.length, published: updates.length, expiredOrders: expired, fills: matched.fills };
      },
    },
    {
      name: 'indicators',
      cron: '0 */5 * * * *',
      lockTtlMs: 4 * 60_000,
      async run() {
        // Symbols with a saved state fold in their new candles; the rest (first start, backfills) get their whole history.
        const report = await deps.indicatorHistory.refresh({ signal: deps.signal });
        for (const [symbol, point] of report.latest) await publishIndicators(deps.bus, deps.cache, symbol, point);
        const { latest, ...summary } = report;
        deps.logger.info({ job: 'indicators', ...summary, published: latest.size }, 'indicators refreshed');
        return summary;
      },
    },
    {
      // After the New York close on weekdays; a provider without fundamentals (simulated, CSV) skips it.
      name: 'fundamentals',
      cron: '0 30 17 * * 1-5',
      timezone: 'America/New_York',
      lockTtlMs: 10 * 60_000,
      async run() {
        const source = await currentProvider();
        if (!isFundamentalsSource(source)) return { skipped: source.name };
        const reported = await source.fundamentals(await activeSymbols(deps.market.sql));
        const updated = await updateFundamentals(deps.market.sql, reported);
        // Every process's row cache drops these stocks, so the new figures show at once.
        if (updated > 0) await announceStocksChanged(deps.bus, reported.map((r) => r.symbol));
        return { reported: reported.length, updated };
      },
    },
    {
      name: 'retention',
      cron: '0 30 3 * * *',
      timezone: 'America/New_York',
      lockTtlMs: 30 * 60_000,
      async run() {
        const window = upcomingPartitionWindow();
        const partitions = await ensureStockPricePartitions(deps.market.sql, window.from, window.to);
        return { partitions, ...(await pruneCandles(deps.market.sql)) };
      },
    },
  ];
}
