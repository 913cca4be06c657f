import DataLoader from 'dataloader';
import type { SqlExecutor } from '../../db/sql-executor.js';
import { computeSummaries } from './sentiment.summary.js';
import type { SentimentSummary, SentimentWindow } from './sentiment.type.js';

export interface SentimentLoaders {
  /** Stock.sentiment: one statement per window asked for, however many stocks. */
  summary(window: SentimentWindow): DataLoader<string, SentimentSummary | null>;
}

export function createSentimentLoaders(stockSql: SqlExecutor, now: () => Date = () => new Date()): SentimentLoaders {
  const byWindow = new Map<SentimentWindow, DataLoader<string, SentimentSummary | null>>();
  return {
    summary(window) {
      let loader = byWindow.get(window);
      if (!loader) {
        loader = new DataLoader(async (symbols: readonly string[]) => {
          const summaries = await computeSummaries(stockSql, symbols, window, now());
          return symbols.map((symbol) => summaries.get(symbol) ?? null);
        });
        byWindow.set(window, loader);
      }
      return loader;
    },
  };
}
