import { z } from 'zod';
import type { SentimentLlmConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import type { SentimentAnalyzer, SentimentScore } from './sentiment-analyzer.js';

/** Texts per request: one prompt stays short enough for small local models; a failure costs one batch. */
export const LLM_BATCH_SIZE = 20;
/** A headline or summary is cut to this many characters before it is sent. */
const MAX_TEXT_CHARS = 1_000;
/** news_article.sentiment_analyzer is varchar(50). */
const MAX_ANALYZER_CHARS = 50;

const SYSTEM_PROMPT =
  'You score the sentiment of financial news headlines for the stock they mention. ' +
  'Reply with JSON only, exactly {"results":[{"index":<n>,"label":"POSITIVE"|"NEUTRAL"|"NEGATIVE","score":<-1..1>}]}, ' +
  'one entry per numbered text, score -1 most negative, 0 neutral, 1 most positive.';

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});
const resultsSchema = z.object({ results: z.array(z.unknown()) }).strict();
const resultSchema = z
  .object({ index: z.number().int().min(0), label: z.enum(['POSITIVE', 'NEUTRAL', 'NEGATIVE']), score: z.number().min(-1).max(1) })
  .strict();

export class LlmResponseError extends Error {
  override name = 'LlmResponseError';
}

/** A fenced ```json block is unwrapped (models add it though told not to); anything else must be the JSON itself. */
function jsonContent(content: string): unknown {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(content);
  try {
    return JSON.parse(fenced ? fenced[1]! : content);
  } catch {
    throw new LlmResponseError('the model did not answer JSON');
  }
}

/**
 * The scores of one batch by position; undefined where the model gave no valid entry for a text. Throws for a
 * response that is not the shape asked for as a whole (the batch then falls back).
 */
export function parseCompletion(body: unknown, count: number, analyzer: string): (SentimentScore | undefined)[] {
  const completion = completionSchema.safeParse(body);
  if (!completion.success) throw new LlmResponseError('not a chat completion response');
  const results = resultsSchema.safeParse(jsonContent(completion.data.choices[0]!.message.content));
  if (!results.success) throw new LlmResponseError('the JSON has no results array (or extra keys)');
  const scores: (SentimentScore | undefined)[] = new Array(count).fill(undefined);
  const seen = new Set<number>();
  for (const entry of results.data.results) {
    const parsed = resultSchema.safeParse(entry);
    if (!parsed.success || parsed.data.index >= count) continue;
    const { index, label, score } = parsed.data;
    // An index given twice is ambiguous: neither answer is trusted.
    if (seen.has(index)) scores[index] = undefined;
    else scores[index] = { label, score, analyzer };
    seen.add(index);
  }
  return scores;
}

export interface LlmAnalyzerOptions {
  /** Scores what the endpoint could not (a failed batch, an invalid entry). */
  fallback: SentimentAnalyzer;
  logger: Logger;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * Scores texts with an OpenAI-compatible chat completions endpoint, LLM_BATCH_SIZE at a time. No retries: a batch
 * that times out, answers an HTTP error or malformed JSON is scored by the fallback, and so is each text the
 * model's answer leaves out or scores invalidly. Each score names the analyzer that produced it.
 */
export function createLlmAnalyzer(config: SentimentLlmConfig, options: LlmAnalyzerOptions): SentimentAnalyzer {
  const name = `llm:${config.model}`.slice(0, MAX_ANALYZER_CHARS);
  const doFetch = options.fetch ?? globalThis.fetch;

  async function request(texts: readonly string[]): Promise<(SentimentScore | undefined)[]> {
    const numbered = texts.map((text, i) => `${i}. ${text.replace(/\s+/g, ' ').slice(0, MAX_TEXT_CHARS)}`).join('\n');
    const response = await doFetch(config.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
      body: JSON.stringify({
        model: config.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: numbered },
        ],
      }),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new LlmResponseError(`HTTP ${response.status}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new LlmResponseError('the response body is not JSON');
    }
    return parseCompletion(body, texts.length, name);
  }

  async function scoreBatch(texts: readonly string[]): Promise<SentimentScore[]> {
    let scores: (SentimentScore | undefined)[];
    try {
      scores = await request(texts);
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${config.timeoutMs} ms` : String((error as Error)?.message ?? error);
      options.logger.warn({ analyzer: name, texts: texts.length, reason }, 'sentiment LLM batch failed; scored by the fallback analyzer');
      return options.fallback.score(texts);
    }
    const missing = scores.flatMap((score, i) => (score ? [] : [i]));
    if (missing.length > 0) {
      options.logger.warn({ analyzer: name, missing: missing.length }, 'sentiment LLM left texts unscored; scored by the fallback analyzer');
      const fallbacks = await options.fallback.score(missing.map((i) => texts[i]!));
      missing.forEach((i, k) => (scores[i] = fallbacks[k]));
    }
    return scores as SentimentScore[];
  }

  return {
    name,
    async score(texts) {
      const scores: SentimentScore[] = [];
      for (let start = 0; start < texts.length; start += LLM_BATCH_SIZE) scores.push(...(await scoreBatch(texts.slice(start, start + LLM_BATCH_SIZE))));
      return scores;
    },
  };
}
