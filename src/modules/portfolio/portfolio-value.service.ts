import type { ContextDependencies } from '../../composition/context.js';
import type { Viewer } from '../../graphql/auth.js';
import { pushIterator } from '../../realtime/push-iterator.js';
import { portfolioTopic, priceTopic } from '../../realtime/topics.js';
import { createStockLoaders } from '../stock/stock.loaders.js';
import type { PortfolioValue } from './analytics.type.js';
import { StockDbFxRates } from './fx-rates.js';
import { createPortfolioLoaders } from './portfolio.loaders.js';
import type { PortfolioService } from './portfolio.service.js';
import type { Portfolio } from './portfolio.type.js';

export const DEFAULT_VALUE_THROTTLE_MS = 1_000;

/** Values kept for a consumer that has not pulled them; only the latest matters. */
const MAX_QUEUED = 10;

type Dependencies = Pick<ContextDependencies, 'userDb' | 'stockDb' | 'stockSql' | 'cache' | 'bus'>;

/**
 * `portfolioValueUpdated`: the current value first, then a recomputation
 * whenever a symbol held ticks (or the portfolio's topic fires), at most once
 * per `throttleMs` per subscription: ticks inside the window are coalesced
 * into one recomputation at its end, which reads the latest quotes, so the
 * last tick of a burst is never lost.
 */
export class PortfolioValueService {
  constructor(
    private readonly deps: Dependencies,
    private readonly portfolios: PortfolioService,
    private readonly throttleMs = DEFAULT_VALUE_THROTTLE_MS,
  ) {}

  /** A fresh valuation (new loaders: the request's would answer from their cache). */
  async valueNow(portfolio: Portfolio): Promise<{ value: PortfolioValue; symbols: string[] }> {
    const stock = createStockLoaders(this.deps.stockDb, this.deps.stockSql, this.deps.cache);
    const loaders = createPortfolioLoaders(this.deps.userDb, stock, new StockDbFxRates(this.deps.stockDb));
    const valuation = await loaders.valuationById.load(portfolio);
    return {
      value: {
        portfolioId: portfolio.id,
        totalValue: valuation.totalValue.toDecimalPlaces(6).toNumber(),
        dayChange: valuation.dayChange.toDecimalPlaces(6).toNumber(),
        timestamp: new Date(),
      },
      symbols: valuation.positions.map((p) => p.symbol),
    };
  }

  async stream(viewer: Viewer, portfolioId: string): Promise<AsyncIterableIterator<PortfolioValue>> {
    const portfolio = await this.portfolios.get(viewer, portfolioId);
    const { bus } = this.deps;
    const throttleMs = this.throttleMs;
    const unsubscribes = new Map<string, () => Promise<void>>();
    let lastRun = Date.now();
    let timer: NodeJS.Timeout | undefined;
    let running = false;
    let dirty = false;
    const stream = pushIterator<PortfolioValue>({
      maxQueued: MAX_QUEUED,
      onFinish: async () => {
        if (timer) clearTimeout(timer);
        await Promise.all([...unsubscribes.values()].map((unsubscribe) => unsubscribe()));
      },
    });

    /** Subscribes to the topics not followed yet; true when there were any. */
    const follow = async (topics: string[]): Promise<boolean> => {
      let added = false;
      for (const topic of topics) {
        if (unsubscribes.has(topic) || stream.finished) continue;
        unsubscribes.set(topic, await bus.subscribe(topic, schedule));
        added = true;
      }
      return added;
    };
    const recompute = async () => {
      running = true;
      dirty = false;
      lastRun = Date.now();
      try {
        const { value, symbols } = await this.valueNow(portfolio);
        if (stream.finished) return;
        stream.push(value);
        // A symbol just bought: one more read after listening to it, so a tick between the read and the subscription counts.
        if (await follow(symbols.map(priceTopic))) dirty = true;
      } catch {
        // A failed recomputation (database briefly away) skips one update; the next tick tries again.
      } finally {
        running = false;
        if (dirty) schedule();
      }
    };
    function schedule(): void {
      if (stream.finished) return;
      if (running) {
        dirty = true;
        return;
      }
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void recompute();
      }, Math.max(0, lastRun + throttleMs - Date.now()));
    }

    // The symbols to follow are known only after the first read, so a tick or change could land between the read and
    // the subscriptions: one recomputation a throttle window later catches it.
    await follow([portfolioTopic(portfolio.id)]);
    const first = await this.valueNow(portfolio);
    await follow(first.symbols.map(priceTopic));
    lastRun = Date.now();
    stream.pushFirst([first.value]);
    schedule();
    return stream.iterator;
  }
}
