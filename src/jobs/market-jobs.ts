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
import { isFundamentalsSource, type MarketDataProvider, type Tick } from '../providers/market-data-provider.js';
import { activeSymbols, createMarketDataProvider } from '../providers/provider-factory.js';
import type { EventBus } from '../realtime/event-bus.js';
import type { OrderFillService } from '../modules/portfolio/order-fill.service.js';
import { everySeconds, type Job } from './scheduler.js';
import type { QueuedWork } from '../queues/job-queues.js';
import { queuedJob } from '../queues/queued-jobs.js';

/** Symbols per queue job: big enough that a tick is a handful of jobs, small enough that several workers share one. */
const SYMBOLS_PER_JOB = 50;

/** A tick as queue data (JSON): the timestamp as ISO text. */
interface WireTick {
  symbol: string;
  price: string;
  volume: number;
  timestamp: string;
}
interface IngestData {
  source: string;
  ticks: WireTick[];
}
interface MatchData {
  ticks: WireTick[];
}
const toWireTick = (tick: Tick): WireTick => ({ symbol: tick.symbol, price: tick.price, volume: tick.volume, timestamp: tick.timestamp.toISOString() });
const fromWireTick = (tick: WireTick): Tick => ({ ...tick, timestamp: new Date(tick.timestamp) });

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

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

  const matching = deps.orderFills;
  return [
    queuedJob({
      name: 'quotes',
      cron: everySeconds(deps.config.marketTickSeconds),
      lockTtlMs: Math.max(deps.config.marketTickSeconds * 1000 * 5, 30_000),
      signal: deps.signal,
      // One provider call per tick (the simulated walk lives in the process that asks), then the ticks in chunks of symbols.
      async split() {
        const source = await currentProvider();
        const ticks = await source.quotes(await activeSymbols(deps.market.sql));
        // A chunk whose previous ingest is still pending skips this tick (as the whole job did under node-cron): two
        // ingests of the same symbols never run side by side, so a candle's close is never set back by an older tick.
        const ingests = chunks(ticks, SYMBOLS_PER_JOB).map(
          (chunk, index): QueuedWork<IngestData> => ({ queue: 'market-data', name: 'quotes-ingest', data: { source: source.name, ticks: chunk.map(toWireTick) }, dedupeKey: `quotes-ingest-${index}` }),
        );
        // Expiry first: the inline path runs pieces in order, and order-matching is one at a time on the queues.
        return matching ? [{ queue: 'order-matching', name: 'orders-expire', data: {}, dedupeKey: 'orders-expire' }, ...ingests] : ingests;
      },
      handlers: [
        {
          name: 'quotes-ingest',
          queue: 'market-data',
          async run(data: IngestData, context) {
            const ticks = data.ticks.map(fromWireTick);
            const updates = await deps.market.ingest.ingestTicks(ticks, data.source);
            for (const update of updates) await publishPrice(deps.bus, deps.cache, update);
            // A queue job (not a bus consumer) so that matching runs once across processes.
            if (matching) await context.enqueue([{ queue: 'order-matching', name: 'orders-match', data: { ticks: data.ticks } satisfies MatchData }]);
            return { ticks: ticks.length, published: updates.length };
          },
        },
        ...(matching
          ? [
              { name: 'orders-expire', queue: 'order-matching' as const, run: async () => ({ expiredOrders: await matching.expireDue(new Date()) }) },
              {
                name: 'orders-match',
                queue: 'order-matching' as const,
                run: async (data: MatchData) => ({ fills: (await matching.match(data.ticks.map(fromWireTick))).fills }),
              },
            ]
          : []),
      ],
    }),
    queuedJob({
      name: 'indicators',
      cron: '0 */5 * * * *',
      lockTtlMs: 4 * 60_000,
      signal: deps.signal,
      async split() {
        const symbols = await activeSymbols(deps.market.sql);
        // One pending refresh per chunk: ticks that come while the consumers are behind add nothing.
        return chunks(symbols, SYMBOLS_PER_JOB).map((chunk) => ({ queue: 'indicators', name: 'indicators-refresh', data: { symbols: chunk }, dedupeKey: `indicators-${chunk[0]}-${chunk.at(-1)}` }));
      },
      handlers: [
        {
          name: 'indicators-refresh',
          queue: 'indicators',
          async run(data: { symbols: string[] }, context) {
            // Symbols with a saved state fold in their new candles; the rest (first start, backfills) get their whole history.
            const report = await deps.indicatorHistory.refresh({ symbols: data.symbols, signal: context.signal });
            for (const [symbol, point] of report.latest) await publishIndicators(deps.bus, deps.cache, symbol, point);
            const { latest, ...summary } = report;
            deps.logger.debug({ job: 'indicators', ...summary, published: latest.size }, 'indicators refreshed');
            return summary;
          },
        },
      ],
    }),
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
