import type { EventBus } from '../../realtime/event-bus.js';
import { eventStream, type EventStreamOptions } from '../../realtime/event-stream.js';
import { sentimentTopic } from '../../realtime/topics.js';
import type { StockService } from '../stock/stock.service.js';
import type { SentimentLoaders } from './sentiment.loaders.js';
import type { SentimentPublishedEvent } from './sentiment.refresh.js';
import type { SentimentSummary, SentimentWindow } from './sentiment.type.js';

/** What sentimentUpdated yields: the current summary first, then published events (a superset of a summary). */
export type SentimentStreamItem = SentimentSummary | SentimentPublishedEvent;

export class SentimentService {
  constructor(
    private readonly loaders: SentimentLoaders,
    private readonly stocks: StockService,
    private readonly bus: EventBus,
  ) {}

  summary(symbol: string, window: SentimentWindow): Promise<SentimentSummary | null> {
    return this.loaders.summary(window).load(symbol);
  }

  /** The symbol's current summary of `window` (when it has articles), then each stored change of it. Unknown symbol: BAD_USER_INPUT. */
  async stream(symbol: string, window: SentimentWindow, options?: EventStreamOptions): Promise<AsyncIterableIterator<SentimentStreamItem>> {
    await this.stocks.assertKnown([symbol], () => 'symbol');
    const initial = async () => {
      const current = await this.summary(symbol, window);
      return current ? [current] : [];
    };
    return eventStream<SentimentStreamItem>(this.bus, [sentimentTopic(symbol)], initial, options, (event) => event.window === window);
  }
}
