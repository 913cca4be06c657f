import type DataLoader from 'dataloader';
import type { RequestContext } from '../graphql/request-context.js';

/**
 * Loaders keyed by symbol, wrapped so that every symbol a request reads is recorded in its response-cache slot:
 * an answer is then dropped by exactly the ticks of the symbols it read (src/cache/response-cache.ts). Costs one
 * Set.add per load, and nothing when the request has no slot.
 */
const isLoader = (value: unknown): value is DataLoader<string, unknown> =>
  !!value && typeof value === 'object' && typeof (value as DataLoader<string, unknown>).load === 'function';

export function recordSymbolsRead<T extends object>(loaders: T, context: () => RequestContext | undefined): T {
  const record = (symbol: unknown) => {
    if (typeof symbol === 'string') context()?.responseCache?.symbols.add(symbol);
  };
  const wrap = <V>(loader: DataLoader<string, V>): DataLoader<string, V> => {
    const load = loader.load.bind(loader);
    const loadMany = loader.loadMany.bind(loader);
    loader.load = (symbol) => (record(symbol), load(symbol));
    loader.loadMany = (symbols) => (Array.from(symbols, record), loadMany(symbols));
    return loader;
  };
  const wrapped = new Set<object>();
  for (const [name, value] of Object.entries(loaders)) {
    if (typeof value === 'function') {
      // A loader per argument set (candles(args), series(args)): wrap each one it hands out, once.
      const factory = value as (...args: unknown[]) => DataLoader<string, unknown>;
      (loaders as Record<string, unknown>)[name] = (...args: unknown[]) => {
        const loader = factory.apply(loaders, args);
        if (!isLoader(loader)) {
          // A synchronous read by symbol (cachedStock(symbol)): it reads that symbol all the same.
          record(args[0]);
          return loader;
        }
        if (!wrapped.has(loader)) (wrapped.add(loader), wrap(loader));
        return loader;
      };
    } else if (isLoader(value)) {
      wrap(value as DataLoader<string, unknown>);
    }
  }
  return loaders;
}
