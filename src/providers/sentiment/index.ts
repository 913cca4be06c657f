import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import { createLexiconAnalyzer } from './lexicon-analyzer.js';
import type { SentimentAnalyzer } from './sentiment-analyzer.js';

export type { SentimentAnalyzer, SentimentLabel, SentimentScore } from './sentiment-analyzer.js';
export { createLexiconAnalyzer } from './lexicon-analyzer.js';

/** The local lexicon analyzer; the LLM adapter (SENTIMENT_LLM_URL) is not built yet. */
export function createSentimentAnalyzer(_config: Config, _logger: Logger): SentimentAnalyzer {
  return createLexiconAnalyzer();
}
