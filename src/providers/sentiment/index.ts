// PLACEHOLDER (brief B): a tiny word-list analyzer so news ingestion can score headlines. The sentiment helper's
// real analyzers (lexicon, LLM) replace this file at merge; callers depend only on sentiment-analyzer.ts.

import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { SentimentAnalyzer, SentimentLabel, SentimentScore } from './sentiment-analyzer.js';

export type { SentimentAnalyzer, SentimentLabel, SentimentScore } from './sentiment-analyzer.js';

const POSITIVE = new Set(
  'beat beats raise raises raised record rally rallies jump jumps surge surges gain gains upgrade upgrades strong growth wins win boost boosting cheered brighter upbeat higher improving solid'.split(' '),
);
const NEGATIVE = new Set(
  'miss misses cut cuts warn warns weak weaker weakened probe lawsuit loss losses drop drops fall falls slide slides downgrade downgrades lay layoffs lower disappoints concerns defects hurt'.split(' '),
);

function scoreOne(text: string): SentimentScore {
  let sum = 0;
  for (const word of text.toLowerCase().split(/[^a-z]+/)) {
    if (POSITIVE.has(word)) sum += 1;
    else if (NEGATIVE.has(word)) sum -= 1;
  }
  const score = Math.max(-1, Math.min(1, sum / 3));
  const label: SentimentLabel = score > 0.05 ? 'POSITIVE' : score < -0.05 ? 'NEGATIVE' : 'NEUTRAL';
  return { label, score, analyzer: 'lexicon' };
}

export function createSentimentAnalyzer(config: Config, logger: Logger): SentimentAnalyzer {
  void config;
  void logger;
  return { name: 'lexicon', score: async (texts) => texts.map(scoreOne) };
}
