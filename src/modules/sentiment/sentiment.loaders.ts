import DataLoader from 'dataloader';
import type { SqlExecutor } from '../../db/sql-executor.js';
import { recordingReads } from '../../lib/recording-reads.js';
import { computeSummaries } from './sentiment.summary.js';
import type { SentimentSummary, SentimentWindow } from './sentiment.type.js';

export interface SentimentLoaders {
  /** Stock.sentiment: one statement per window asked for, however many stocks. */
  summary(window: SentimentWindow): DataLoader<string, SentimentSummary | null>;
}

/** `onRead`: told of every symbol asked for (the response cache records what an answer read). */
export function createSentimentLoaders(stockSql: SqlExecutor, onRead?: (symbol: string) => void): SentimentLoaders {
  const byWindow = new Map<SentimentWindow, DataLoader<string, SentimentSummary | null>>();
  return {
    summary(window) {
      let loader = byWindow.get(window);
      if (!loader) {
        const batch = async (symbols: readonly string[]) => {
          const summaries = await computeSummaries(stockSql, symbols, window, new Date());
          return symbols.map((symbol) => summaries.get(symbol) ?? null);
        };
        loader = recordingReads(new DataLoader(batch), onRead);
        byWindow.set(window, loader);
      }
      return loader;
    },
  };
}
