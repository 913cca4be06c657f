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

/**
 * A price tick: every field of `Quote`, which `priceUpdated` returns, so a client's
 * normalised cache (Quote keyed by symbol) updates the quote it already holds.
 * JSON on the bus: the timestamp is a string once received.
 */
export type PriceEvent = Omit<Quote, 'timestamp'> & { timestamp: string | Date };

/** Exactly the Quote fields, nothing else a caller's object may carry. */
export function toPriceEvent(quote: PriceEvent): PriceEvent {
  const { symbol, price, previousClose, change, changePercent, volume, timestamp } = quote;
  return { symbol, price, previousClose, change, changePercent, volume, timestamp };
}

/** Caches a tick as the symbol's latest quote, then pushes the very same object to every subscriber in every process. */
export async function publishPrice(bus: EventBus, cache: Cache, update: PriceEvent): Promise<void> {
  const quote: CachedQuote = { ...toPriceEvent(update), timestamp: new Date(update.timestamp).toISOString() };
  await cache.set(quoteCacheKey(quote.symbol), quote, QUOTE_TTL_SECONDS);
  await bus.publish(priceTopic(quote.symbol), quote);
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
      return quotes.filter((quote): quote is Quote => quote !== null).map(toPriceEvent);
    };
    return eventStream<PriceEvent>(this.bus, symbols.map(priceTopic), initial, options);
  }
}
