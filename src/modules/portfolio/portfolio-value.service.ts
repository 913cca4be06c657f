import type { ContextDependencies } from '../../composition/context.js';
import type { Viewer } from '../../graphql/auth.js';
import { orderTopic, priceTopic } from '../../realtime/topics.js';
import { createStockLoaders } from '../stock/stock.loaders.js';
import type { PortfolioValue } from './analytics.type.js';
import { StockDbFxRates } from './fx-rates.js';
import { createPortfolioLoaders } from './portfolio.loaders.js';
import type { PortfolioService } from './portfolio.service.js';
import type { Portfolio } from './portfolio.type.js';

/** Bus topic a writer may publish on after changing a portfolio's books (fills, cash), so its live value is recomputed. */
export const portfolioTopic = (portfolioId: string) => `portfolio:${portfolioId}`;

export const DEFAULT_VALUE_THROTTLE_MS = 1_000;

/** Values kept for a consumer that has not pulled them; only the latest matters. */
const MAX_QUEUED = 10;

type Dependencies = Pick<ContextDependencies, 'userDb' | 'stockDb' | 'cache' | 'bus'>;

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
    const stock = createStockLoaders(this.deps.stockDb, this.deps.cache);
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
    const queue: PortfolioValue[] = [];
    const unsubscribes = new Map<string, () => Promise<void>>();
    let wake: (() => void) | undefined;
    let done = false;
    let lastRun = Date.now();
    let timer: NodeJS.Timeout | undefined;
    let running = false;
    let dirty = false;

    const push = (value: PortfolioValue) => {
      if (queue.length >= MAX_QUEUED) queue.shift();
      queue.push(value);
      wake?.();
    };
    /** Listens to the topics not followed yet; true when there were some. */
    const follow = async (topics: string[]) => {
      let added = false;
      for (const topic of topics) {
        if (unsubscribes.has(topic) || done) continue;
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
        if (done) return;
        push(value);
        // A symbol newly held (a first buy): a tick of it between the read and the subscription would be
        // lost, so read once more now that the stream listens.
        if (await follow(symbols.map(priceTopic))) dirty = true;
      } catch {
        // A failed recomputation (database briefly away) skips one update; the next tick tries again.
      } finally {
        running = false;
        if (dirty) schedule();
      }
    };
    const schedule = () => {
      if (done) return;
      if (running) {
        dirty = true;
        return;
      }
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void recompute();
      }, Math.max(0, lastRun + this.throttleMs - Date.now()));
    };

    // Listen first, then read: a tick between the read and the subscription is not lost.
    const first = await this.valueNow(portfolio);
    // orderTopic too: a fill changes cash and positions, and may add a symbol to follow (a first buy).
    await follow([portfolioTopic(portfolio.id), orderTopic(portfolio.id), ...first.symbols.map(priceTopic)]);
    lastRun = Date.now();
    queue.unshift(first.value);

    const finish = async (): Promise<IteratorResult<PortfolioValue>> => {
      if (!done) {
        done = true;
        if (timer) clearTimeout(timer);
        wake?.();
        await Promise.all([...unsubscribes.values()].map((unsubscribe) => unsubscribe()));
      }
      return { value: undefined, done: true };
    };
    const iterator: AsyncIterableIterator<PortfolioValue> = {
      async next(): Promise<IteratorResult<PortfolioValue>> {
        while (!done) {
          if (queue.length > 0) return { value: queue.shift()!, done: false };
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
        return { value: undefined, done: true };
      },
      return: finish,
      throw: async (err) => {
        await finish();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}
