import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import { createLexiconAnalyzer } from './lexicon-analyzer.js';
import { createLlmAnalyzer } from './llm-analyzer.js';
import type { SentimentAnalyzer } from './sentiment-analyzer.js';

export type { SentimentAnalyzer, SentimentLabel, SentimentScore } from './sentiment-analyzer.js';
export { createLexiconAnalyzer } from './lexicon-analyzer.js';
export { createLlmAnalyzer } from './llm-analyzer.js';

/** The LLM adapter when SENTIMENT_LLM_URL is set (the lexicon scores what it cannot), else the local lexicon analyzer. */
export function createSentimentAnalyzer(config: Config, logger: Logger): SentimentAnalyzer {
  const lexicon = createLexiconAnalyzer();
  return config.sentimentLlm ? createLlmAnalyzer(config.sentimentLlm, { fallback: lexicon, logger }) : lexicon;
}
