import { Decimal } from 'decimal.js';
import type { Cache } from '../../cache/cache.js';
import type { EventBus } from '../../realtime/event-bus.js';
import { eventStream, type EventStreamOptions } from '../../realtime/event-stream.js';
import { indicatorsCacheKey, indicatorTopic, INDICATORS_TTL_SECONDS, priceTopic, QUOTE_TTL_SECONDS, quoteCacheKey } from '../../realtime/topics.js';
import type { SerializedIndicatorPoint } from '../indicator/indicator.mapper.js';
import type { IndicatorService } from '../indicator/indicator.service.js';
import type { IndicatorPoint } from '../indicator/indicator.type.js';
import type { CachedQuote } from '../stock/stock.mapper.js';
import type { StockService } from '../stock/stock.service.js';
import type { Quote } from '../stock/stock.type.js';
import type { PriceUpdate } from './live.type.js';

/** What travels on the bus for a price tick (JSON: the timestamp is a string once received). */
export type PriceEvent = Omit<PriceUpdate, 'timestamp'> & { timestamp: string | Date };

export function toPriceUpdate(quote: Quote): PriceEvent {
  return { symbol: quote.symbol, price: quote.price, change: quote.change, changePercent: quote.changePercent, volume: quote.volume, timestamp: quote.timestamp };
}

/** Caches a tick as the symbol's latest quote, then pushes it to every subscriber in every process. */
export async function publishPrice(bus: EventBus, cache: Cache, update: PriceEvent): Promise<void> {
  const timestamp = new Date(update.timestamp).toISOString();
  const previousClose = update.change === null ? null : new Decimal(update.price).minus(update.change).toNumber();
  const cached: CachedQuote = { ...update, previousClose, timestamp };
  await cache.set(quoteCacheKey(update.symbol), cached, QUOTE_TTL_SECONDS);
  await bus.publish(priceTopic(update.symbol), { ...update, timestamp });
}

/** Caches a symbol's newest indicator point and pushes it to `indicatorUpdated` subscribers. */
export async function publishIndicators(bus: EventBus, cache: Cache, symbol: string, point: IndicatorPoint): Promise<void> {
  const serialized = { ...point, timestamp: point.timestamp.toISOString() };
  await cache.set(indicatorsCacheKey(symbol), serialized, INDICATORS_TTL_SECONDS);
  await bus.publish(indicatorTopic(symbol), serialized);
}

/** Turns bus events into subscription streams that start with the current value. */
export class LiveService {
  constructor(
    private readonly bus: EventBus,
    private readonly stocks: StockService,
    private readonly indicators: IndicatorService,
  ) {}

  /** The latest indicators of a symbol (cache, else the database), then every recomputation. */
  async indicatorStream(symbol: string, options?: EventStreamOptions): Promise<AsyncIterableIterator<IndicatorPoint | SerializedIndicatorPoint>> {
    await this.stocks.assertKnown([symbol], () => 'symbol');
    const initial = async () => {
      const [latest] = await this.indicators.latest([symbol]);
      return latest ? [latest] : [];
    };
    return eventStream<IndicatorPoint | SerializedIndicatorPoint>(this.bus, [indicatorTopic(symbol)], initial, options);
  }

  /** Current price of each symbol (cache, else the latest candle), then every tick. */
  async priceStream(symbols: readonly string[], options?: EventStreamOptions): Promise<AsyncIterableIterator<PriceEvent>> {
    await this.stocks.assertKnown(symbols, (i) => `symbols[${i}]`);
    const initial = async () => {
      const quotes = await this.stocks.quotes(symbols);
      return quotes.filter((quote): quote is Quote => quote !== null).map(toPriceUpdate);
    };
    return eventStream<PriceEvent>(this.bus, symbols.map(priceTopic), initial, options);
  }
}
