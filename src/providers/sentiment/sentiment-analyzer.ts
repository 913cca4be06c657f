/** Scores headlines and summaries: the local lexicon analyzer by default, an LLM endpoint when configured. */
export type SentimentLabel = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';

export interface SentimentScore {
  label: SentimentLabel;
  /** -1 (most negative) .. 1 (most positive). */
  score: number;
  /** Which analyzer scored it, e.g. `lexicon` or `llm:<model>`; a fallback records the one that actually scored. */
  analyzer: string;
}

export interface SentimentAnalyzer {
  readonly name: string;
  /** One score per text, in order. Never throws for one bad text: a fallback analyzer scores it instead. */
  score(texts: readonly string[]): Promise<SentimentScore[]>;
}
