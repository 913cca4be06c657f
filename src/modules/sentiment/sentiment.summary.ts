import type { SqlExecutor } from '../../db/sql-executor.js';
import { labelOf } from '../../providers/sentiment/lexicon-analyzer.js';
import { windowAggregates } from '../news/news.sql.js';
import { type SentimentLabelEnum, type SentimentSummary, type SentimentWindow, WINDOW_MS } from './sentiment.type.js';

/** Scores are stored as numeric(6,5): rounding here makes a live summary equal to the row it was stored as. */
const round5 = (value: number) => Math.round(value * 100_000) / 100_000;

/**
 * Each symbol's summary over (now - window, now], computed from its scored articles; a symbol with no article in the
 * window is absent. One statement for any number of symbols.
 */
export async function computeSummaries(sql: SqlExecutor, symbols: readonly string[], window: SentimentWindow, now: Date): Promise<Map<string, SentimentSummary>> {
  const summaries = new Map<string, SentimentSummary>();
  if (symbols.length === 0) return summaries;
  for (const row of await windowAggregates(sql, symbols, WINDOW_MS[window], now)) {
    if (row.count === 0 || row.score === null) continue;
    const score = round5(row.score);
    const trend = row.previousScore === null ? null : round5(score - row.previousScore);
    summaries.set(row.symbol, { symbol: row.symbol, window, score, label: labelOf(score) as SentimentLabelEnum, articleCount: row.count, trend });
  }
  return summaries;
}
